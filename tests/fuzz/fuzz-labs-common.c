/* fuzz-labs-common.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What every lab parser target checks, whatever the input: a report or a
 * CACHET_LABS_ERROR, never a crash or a hang; every string bounded UTF-8;
 * the keys and the HTML page built without trouble. */

#include "config.h"

#include <string.h>

#include "cachet-lab-parser.h"
#include "cachet-lab-render.h"
#include "cachet-labs-error.h"
#include "fuzz-labs-common.h"

#define MAX_FIELD_BYTES 4096

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (strlen (text), <=, MAX_FIELD_BYTES);
}

static void
check_report (CachetLabReport *report)
{
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  GListModel *results = cachet_lab_report_get_results (report);
  g_autofree char *key = cachet_lab_report_dup_business_key (report);
  g_autofree char *digest = cachet_lab_report_dup_results_digest (report);
  g_autofree char *html = cachet_lab_render_html (report);
  guint n = g_list_model_get_n_items (results);

  check_text (cachet_lab_patient_get_family_name (patient));
  check_text (cachet_lab_patient_get_given_names (patient));
  check_text (cachet_lab_patient_get_birth_date (patient));
  check_text (cachet_lab_patient_get_ins (patient));
  check_text (cachet_lab_patient_get_nir (patient));
  check_text (cachet_lab_report_get_lab (report));
  check_text (cachet_lab_report_get_prescriber (report));
  check_text (cachet_lab_report_get_report_id (report));
  check_text (cachet_lab_report_get_sampling_date (report));
  check_text (cachet_lab_report_get_report_date (report));
  g_assert_nonnull (digest);
  if (key != NULL)
    g_assert_true (g_utf8_validate (key, -1, NULL));
  g_assert_true (g_utf8_validate (html, -1, NULL));
  if (cachet_lab_report_get_text (report) != NULL)
    g_assert_true (g_utf8_validate (cachet_lab_report_get_text (report), -1, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CachetLabResult) result = g_list_model_get_item (results, i);
      g_autofree char *range = cachet_lab_result_dup_reference_text (result);

      check_text (cachet_lab_result_get_code (result));
      check_text (cachet_lab_result_get_label (result));
      check_text (cachet_lab_result_get_value (result));
      check_text (cachet_lab_result_get_unit (result));
      check_text (cachet_lab_result_get_reference_low (result));
      check_text (cachet_lab_result_get_reference_high (result));
      if (range != NULL)
        g_assert_true (g_utf8_validate (range, -1, NULL));
    }
}

void
cachet_fuzz_lab_parse (CachetLabFormat  format,
                       const guint8    *data,
                       size_t           size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = NULL;

  cachet_lab_detect_format (bytes, NULL);
  reports = cachet_lab_parse (bytes, format, NULL, &error);
  if (reports == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == CACHET_LABS_ERROR);
      return;
    }
  g_assert_cmpuint (reports->len, >, 0);
  for (guint i = 0; i < reports->len; i++)
    check_report (g_ptr_array_index (reports, i));
}
