/* cachet-lab-render.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-lab-render.h"

/* A standalone HTML page of a report, filed next to it so it can be read
 * without Cachet. Every value comes from the lab file and is escaped; the
 * page has no script and loads nothing. */

static const char page_style[] =
  "body{font-family:sans-serif;margin:2em;color:#222}"
  "table{border-collapse:collapse}td,th{border:1px solid #aaa;padding:.3em .6em;text-align:left}"
  "tr.abnormal td{font-weight:bold;color:#a00}pre{white-space:pre-wrap}";

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (html, escaped);
}

static void
append_row (GString    *html,
            const char *label,
            const char *value)
{
  if (value == NULL)
    return;
  g_string_append (html, "<tr><th>");
  append_escaped (html, label);
  g_string_append (html, "</th><td>");
  append_escaped (html, value);
  g_string_append (html, "</td></tr>\n");
}

static void
append_results (GString    *html,
                GListModel *results)
{
  guint n = g_list_model_get_n_items (results);
  const char *headers[] = { _("Analysis"), _("Value"), _("Unit"), _("Reference range"), _("Flag"), _("Comment") };

  if (n == 0)
    return;
  g_string_append (html, "<table>\n<tr>");
  for (gsize i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_string_append (html, "<th>");
      append_escaped (html, headers[i]);
      g_string_append (html, "</th>");
    }
  g_string_append (html, "</tr>\n");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CachetLabResult) result = g_list_model_get_item (results, i);
      g_autofree char *range = cachet_lab_result_dup_reference_text (result);
      const char *label = cachet_lab_result_get_label (result);
      const char *cells[] = {
        label != NULL ? label : cachet_lab_result_get_code (result),
        cachet_lab_result_get_value (result),
        cachet_lab_result_get_unit (result),
        range,
        cachet_lab_flag_to_code (cachet_lab_result_get_flag (result)),
        cachet_lab_result_get_comment (result),
      };

      g_string_append (html, cachet_lab_result_is_abnormal (result) ? "<tr class=\"abnormal\">" : "<tr>");
      for (gsize c = 0; c < G_N_ELEMENTS (cells); c++)
        {
          g_string_append (html, "<td>");
          append_escaped (html, cells[c]);
          g_string_append (html, "</td>");
        }
      g_string_append (html, "</tr>\n");
    }
  g_string_append (html, "</table>\n");
}

/**
 * cachet_lab_render_html:
 *
 * Returns: (transfer full): the report as a self-contained HTML page
 */
char *
cachet_lab_render_html (CachetLabReport *report)
{
  CachetLabPatient *patient;
  g_autofree char *name = NULL;
  GString *html = g_string_new (NULL);
  const char *text;

  g_return_val_if_fail (CACHET_IS_LAB_REPORT (report), NULL);

  patient = cachet_lab_report_get_patient (report);
  name = cachet_lab_patient_dup_display_name (patient);
  g_string_append (html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>");
  append_escaped (html, name);
  g_string_append_printf (html, "</title><style>%s</style></head><body>\n<h1>", page_style);
  append_escaped (html, name);
  g_string_append (html, "</h1>\n<table>\n");
  append_row (html, _("INS"), cachet_lab_patient_get_ins (patient));
  append_row (html, _("Laboratory"), cachet_lab_report_get_lab (report));
  append_row (html, _("Prescriber"), cachet_lab_report_get_prescriber (report));
  append_row (html, _("Sampled on"), cachet_lab_report_get_sampling_date (report));
  append_row (html, _("Reported on"), cachet_lab_report_get_report_date (report));
  append_row (html, _("Report"), cachet_lab_report_get_report_id (report));
  append_row (html, _("Replaces"), cachet_lab_report_get_replaces (report));
  g_string_append (html, "</table>\n");
  append_results (html, cachet_lab_report_get_results (report));
  if ((text = cachet_lab_report_get_text (report)) != NULL)
    {
      g_string_append (html, "<pre>");
      append_escaped (html, text);
      g_string_append (html, "</pre>\n");
    }
  g_string_append (html, "</body></html>\n");
  return g_string_free (html, FALSE);
}
