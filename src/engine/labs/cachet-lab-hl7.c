/* cachet-lab-hl7.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-lab-charset.h"
#include "cachet-labs-error.h"
#include "cachet-labs-parsers-private.h"
#include "cachet-labs-private.h"

/* HL7 v2 ORU^R01. French senders mostly wrap a CR-BIO CDA in an ED OBX
 * (with metadata OBX of the MetaDMPMSS system around it); classic
 * one-OBX-per-analyte messages are read too. Segments end with CR by the
 * standard and LF in the official examples: both work. Each PID starts a
 * report. */

#define MAX_FIELDS 64
#define METADATA_CODING_SYSTEM "MetaDMPMSS"

typedef struct
{
  char component;
  char repetition;
  char subcomponent;
} Encoding;

static char *
part (const char *text,
      char        separator,
      guint       index)
{
  g_auto(GStrv) parts = cachet_labs_split (text, separator, index + 2);

  return cachet_labs_strdup_nonempty (cachet_labs_field (parts, index));
}

/* MSH-18 names the charset; the bytes are read before any line is, so
 * MSH is found on the raw bytes (it is ASCII). */
static const char *
declared_charset (GBytes *original)
{
  gsize size;
  const char *data = g_bytes_get_data (original, &size);
  const char *end;
  g_autofree char *msh = NULL;
  g_auto(GStrv) fields = NULL;
  const char *name;

  if (size == 0)
    return NULL;
  end = memchr (data, '\r', MIN (size, 1024));
  if (end == NULL)
    end = memchr (data, '\n', MIN (size, 1024));
  if (end == NULL)
    return NULL;
  msh = g_strndup (data, (gsize) (end - data));
  if (!g_str_has_prefix (msh, "MSH") || strlen (msh) < 8)
    return NULL;
  fields = cachet_labs_split (msh, msh[3], MAX_FIELDS);
  name = cachet_labs_field (fields, 17);
  if (name == NULL)
    return NULL;
  if (strstr (name, "UTF-8") != NULL)
    return CACHET_LAB_CHARSET_UTF8;
  if (g_str_equal (name, "8859/1"))
    return CACHET_LAB_CHARSET_LATIN1;
  if (g_str_equal (name, "8859/15"))
    return "ISO-8859-15";
  return NULL;
}

static void
read_identifiers (CachetLabPatient *patient,
                  const char       *list,
                  const char       *reliability,
                  const Encoding   *encoding)
{
  g_auto(GStrv) repetitions = cachet_labs_split (list, encoding->repetition, 16);

  for (guint i = 0; repetitions[i] != NULL; i++)
    {
      g_autofree char *id = part (repetitions[i], encoding->component, 0);
      g_autofree char *authority = part (repetitions[i], encoding->component, 3);
      g_autofree char *type = part (repetitions[i], encoding->component, 4);
      g_autofree char *oid = part (authority, encoding->subcomponent, 1);

      if (id != NULL && type != NULL && g_str_equal (type, "INS"))
        {
          cachet_lab_patient_set_ins (patient, id, oid,
                                      reliability != NULL && g_str_has_prefix (reliability, "VALI"));
          return;
        }
    }
}

static void
read_names (CachetLabPatient *patient,
            const char       *list,
            const Encoding   *encoding)
{
  g_auto(GStrv) repetitions = cachet_labs_split (list, encoding->repetition, 16);
  const char *chosen = repetitions[0];

  /* The legal (birth) name identifies; a used name may change. */
  for (guint i = 0; repetitions[i] != NULL; i++)
    {
      g_autofree char *type = part (repetitions[i], encoding->component, 6);

      if (type != NULL && g_str_equal (type, "L"))
        {
          chosen = repetitions[i];
          break;
        }
    }
  if (chosen != NULL)
    {
      g_autofree char *family = part (chosen, encoding->component, 0);
      g_autofree char *given = part (chosen, encoding->component, 1);

      cachet_lab_patient_set_family_name (patient, family);
      cachet_lab_patient_set_given_names (patient, given);
    }
}

static void
read_pid (CachetLabReport  *report,
          char            **fields,
          const Encoding   *encoding)
{
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  g_autofree char *birth = cachet_labs_parse_date (cachet_labs_field (fields, 7));
  const char *sex = cachet_labs_field (fields, 8);

  read_identifiers (patient, cachet_labs_field (fields, 3), cachet_labs_field (fields, 32), encoding);
  read_names (patient, cachet_labs_field (fields, 5), encoding);
  cachet_lab_patient_set_birth_date (patient, birth);
  if (sex != NULL)
    cachet_lab_patient_set_sex (patient, sex[0]);
}

static void
read_obr (CachetLabReport  *report,
          char            **fields,
          const Encoding   *encoding)
{
  g_autofree char *filler = part (cachet_labs_field (fields, 3), encoding->component, 0);
  g_autofree char *placer = part (cachet_labs_field (fields, 2), encoding->component, 0);
  g_autofree char *sampling = cachet_labs_parse_date (cachet_labs_field (fields, 7));
  g_autofree char *reported = cachet_labs_parse_date (cachet_labs_field (fields, 22));
  g_autofree char *family = part (cachet_labs_field (fields, 16), encoding->component, 1);
  g_autofree char *given = part (cachet_labs_field (fields, 16), encoding->component, 2);

  cachet_lab_report_set_report_id (report, filler != NULL ? filler : placer);
  cachet_lab_report_set_sampling_date (report, sampling);
  cachet_lab_report_set_report_date (report, reported);
  if (family != NULL)
    {
      g_autofree char *prescriber = g_strjoin (" ", family, given, NULL);

      cachet_lab_report_set_prescriber (report, prescriber);
    }
}

/* An ED value: `source^type^subtype^encoding^data`. */
static void
read_embedded (CachetLabReport *report,
               const char      *value,
               const Encoding  *encoding)
{
  g_auto(GStrv) parts = cachet_labs_split (value, encoding->component, 5);
  const char *subtype = cachet_labs_field (parts, 2);
  const char *data = cachet_labs_field (parts, 4);
  const char *transfer = cachet_labs_field (parts, 3);
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  gsize size = 0;
  guchar *bytes;

  if (data == NULL || transfer == NULL || g_ascii_strcasecmp (transfer, "Base64") != 0)
    return;
  bytes = g_base64_decode (data, &size);
  decoded = g_bytes_new_take (bytes, size);
  if (subtype != NULL && g_ascii_strcasecmp (subtype, "PDF") == 0)
    {
      cachet_lab_report_set_pdf (report, decoded);
      return;
    }
  if (subtype == NULL || g_ascii_strcasecmp (subtype, "XML") != 0)
    return;
  /* A CDA that does not parse leaves the envelope's own data. */
  documents = cachet_lab_cda_parse (decoded, cachet_lab_report_get_original (report),
                                    CACHET_LAB_FORMAT_HL7V2, NULL);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CachetLabReport *document = g_ptr_array_index (documents, i);

      if (cachet_lab_report_get_set_id (report) == NULL)
        {
          cachet_lab_report_set_set_id (report, cachet_lab_report_get_set_id (document));
          cachet_lab_report_set_version (report, cachet_lab_report_get_version (document));
        }
      cachet_lab_report_take_results (report, document);
    }
}

static CachetLabResult *
read_obx (CachetLabReport  *report,
          char            **fields,
          const Encoding   *encoding)
{
  const char *type = cachet_labs_field (fields, 2);
  const char *identifier = cachet_labs_field (fields, 3);
  const char *status = cachet_labs_field (fields, 11);
  g_autofree char *system = part (identifier, encoding->component, 2);
  g_autofree char *code = part (identifier, encoding->component, 0);
  g_autofree char *label = part (identifier, encoding->component, 1);
  g_autofree char *unit = part (cachet_labs_field (fields, 6), encoding->component, 0);
  g_autofree char *flag = part (cachet_labs_field (fields, 8), encoding->repetition, 0);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autofree char *value = NULL;
  CachetLabResult *result;

  if (status != NULL && status[0] == 'C')
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_REPLACEMENT);
  else if (status != NULL && status[0] == 'D')
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_DELETION);
  else if (status != NULL && status[0] == 'P')
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_PARTIAL);

  if (system != NULL && g_str_equal (system, METADATA_CODING_SYSTEM))
    return NULL;
  if (type != NULL && g_str_equal (type, "ED"))
    {
      read_embedded (report, cachet_labs_field (fields, 5), encoding);
      return NULL;
    }
  value = type != NULL && g_str_equal (type, "CE")
          ? part (cachet_labs_field (fields, 5), encoding->component, 1)
          : cachet_labs_strdup_nonempty (cachet_labs_field (fields, 5));
  result = cachet_lab_result_new (code, label, value, unit);
  cachet_labs_split_range (cachet_labs_field (fields, 7), NULL, &low, &high);
  cachet_lab_result_set_reference (result, low, high);
  cachet_lab_result_set_flag (result, cachet_lab_flag_from_code (flag));
  cachet_lab_report_add_result (report, result);
  return result;
}

static void
read_orc (CachetLabReport  *report,
          char            **fields)
{
  const char *control = cachet_labs_field (fields, 1);

  if (control == NULL)
    return;
  if (g_str_equal (control, "RO") || g_str_equal (control, "RP"))
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_REPLACEMENT);
  else if (g_str_equal (control, "CA"))
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_DELETION);
}

GPtrArray *
cachet_lab_hl7_parse (GBytes      *original,
                      const char  *charset_override,
                      GError     **error)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *text = NULL;
  g_autofree char *lab = NULL;
  const char *charset = charset_override != NULL ? charset_override : declared_charset (original);
  Encoding encoding = { '^', '~', '&' };
  char separator = '|';
  CachetLabReport *report = NULL;
  CachetLabResult *last_result = NULL;

  if ((text = cachet_lab_charset_decode (original, charset, &charset, error)) == NULL)
    return NULL;
  if ((lines = cachet_labs_split_lines (text, error)) == NULL)
    return NULL;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_auto(GStrv) fields = NULL;
      const char *segment;

      if (g_str_has_prefix (line, "MSH") && strlen (line) >= 8)
        {
          g_autofree char *type = NULL;

          separator = line[3];
          encoding.component = line[4];
          encoding.repetition = line[5];
          encoding.subcomponent = line[7];
          fields = cachet_labs_split (line, separator, MAX_FIELDS);
          type = part (cachet_labs_field (fields, 8), encoding.component, 0);
          if (type == NULL || !g_str_equal (type, "ORU"))
            {
              g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNRECOGNISED,
                           _("The HL7 message is of type %s, not a lab result (ORU)"),
                           type != NULL ? type : "?");
              return NULL;
            }
          g_free (lab);
          lab = part (cachet_labs_field (fields, 3), encoding.component, 0);
          if (lab == NULL)
            lab = part (cachet_labs_field (fields, 2), encoding.component, 0);
          continue;
        }
      if (lab == NULL && report == NULL)
        continue;
      fields = cachet_labs_split (line, separator, MAX_FIELDS);
      segment = fields[0] != NULL ? fields[0] : "";
      if (g_str_equal (segment, "PID"))
        {
          if (reports->len == CACHET_LABS_MAX_REPORTS)
            {
              g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                           _("The file holds more than %d reports; it was not read"), CACHET_LABS_MAX_REPORTS);
              return NULL;
            }
          report = cachet_lab_report_new (CACHET_LAB_FORMAT_HL7V2, original, charset);
          cachet_lab_report_set_lab (report, lab);
          read_pid (report, fields, &encoding);
          g_ptr_array_add (reports, report);
          last_result = NULL;
        }
      else if (report == NULL)
        continue;
      else if (g_str_equal (segment, "ORC"))
        read_orc (report, fields);
      else if (g_str_equal (segment, "OBR"))
        read_obr (report, fields, &encoding);
      else if (g_str_equal (segment, "OBX"))
        last_result = read_obx (report, fields, &encoding);
      else if (g_str_equal (segment, "NTE") && last_result != NULL)
        cachet_lab_result_append_comment (last_result, cachet_labs_field (fields, 3));
    }

  if (reports->len == 0)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The HL7 message has no patient (PID) segment"));
      return NULL;
    }
  return g_steal_pointer (&reports);
}
