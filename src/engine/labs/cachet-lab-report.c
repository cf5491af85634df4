/* cachet-lab-report.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-report.h"
#include "cachet-labs-private.h"

/* One lab report for one patient, whatever format it came in. A file with
 * several patients gives several reports that share the file's original
 * bytes: those bytes, not our reading of them, are what gets filed. */

struct _CachetLabReport
{
  GObject parent_instance;

  CachetLabFormat format;
  GBytes *original;
  char *charset;
  CachetLabPatient *patient;
  char *lab;
  char *prescriber;
  char *sampling_date;
  char *report_date;
  char *report_id;
  char *set_id;
  char *replaces;
  guint version;
  CachetLabReportStatus status;
  GListStore *results;
  GString *text;
  GBytes *pdf;
};

G_DEFINE_FINAL_TYPE (CachetLabReport, cachet_lab_report, G_TYPE_OBJECT)

static const struct
{
  const char *name;
  const char *extension;
} formats[] = {
  [CACHET_LAB_FORMAT_UNKNOWN] = { "unknown", "bin" },
  [CACHET_LAB_FORMAT_HPRIM_NET] = { "hprim-net", "hpr" },
  [CACHET_LAB_FORMAT_HPRIM_SANTE] = { "hprim-sante", "hpr" },
  [CACHET_LAB_FORMAT_HL7V2] = { "hl7v2", "hl7" },
  [CACHET_LAB_FORMAT_CDA] = { "cda", "xml" },
  [CACHET_LAB_FORMAT_XDM] = { "xdm", "zip" },
  [CACHET_LAB_FORMAT_PDF] = { "pdf", "pdf" },
};

static void
cachet_lab_report_finalize (GObject *object)
{
  CachetLabReport *self = CACHET_LAB_REPORT (object);

  g_clear_pointer (&self->original, g_bytes_unref);
  g_clear_pointer (&self->charset, g_free);
  g_clear_object (&self->patient);
  g_clear_pointer (&self->lab, g_free);
  g_clear_pointer (&self->prescriber, g_free);
  g_clear_pointer (&self->sampling_date, g_free);
  g_clear_pointer (&self->report_date, g_free);
  g_clear_pointer (&self->report_id, g_free);
  g_clear_pointer (&self->set_id, g_free);
  g_clear_pointer (&self->replaces, g_free);
  g_clear_object (&self->results);
  if (self->text != NULL)
    g_string_free (g_steal_pointer (&self->text), TRUE);
  g_clear_pointer (&self->pdf, g_bytes_unref);

  G_OBJECT_CLASS (cachet_lab_report_parent_class)->finalize (object);
}

static void
cachet_lab_report_class_init (CachetLabReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_report_finalize;
}

static void
cachet_lab_report_init (CachetLabReport *self)
{
  self->patient = cachet_lab_patient_new ();
  self->results = g_list_store_new (CACHET_TYPE_LAB_RESULT);
}

/**
 * cachet_lab_report_new:
 * @original: the bytes of the whole file the report was read from
 * @charset: (nullable): the charset the text was decoded from
 */
CachetLabReport *
cachet_lab_report_new (CachetLabFormat  format,
                       GBytes          *original,
                       const char      *charset)
{
  CachetLabReport *self;

  g_return_val_if_fail (original != NULL, NULL);

  self = g_object_new (CACHET_TYPE_LAB_REPORT, NULL);
  self->format = format;
  self->original = g_bytes_ref (original);
  self->charset = g_strdup (charset);
  return self;
}

CachetLabFormat
cachet_lab_report_get_format (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), CACHET_LAB_FORMAT_UNKNOWN);
  return self->format;
}

/**
 * cachet_lab_report_get_original:
 *
 * Returns: (transfer none): the file's bytes, untouched
 */
GBytes *
cachet_lab_report_get_original (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->original;
}

const char *
cachet_lab_report_get_charset (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->charset;
}

/**
 * cachet_lab_report_get_patient:
 *
 * Returns: (transfer none): the patient as the report names them
 */
CachetLabPatient *
cachet_lab_report_get_patient (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->patient;
}

const char *
cachet_lab_report_get_lab (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->lab;
}

void
cachet_lab_report_set_lab (CachetLabReport *self,
                           const char      *lab)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->lab, lab);
}

const char *
cachet_lab_report_get_prescriber (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->prescriber;
}

void
cachet_lab_report_set_prescriber (CachetLabReport *self,
                                  const char      *prescriber)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->prescriber, prescriber);
}

/**
 * cachet_lab_report_get_sampling_date:
 *
 * Returns: (nullable): when the specimen was taken, `YYYY-MM-DD[THH:MM]`
 */
const char *
cachet_lab_report_get_sampling_date (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->sampling_date;
}

void
cachet_lab_report_set_sampling_date (CachetLabReport *self,
                                     const char      *date)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->sampling_date, date);
}

/**
 * cachet_lab_report_get_report_date:
 *
 * Returns: (nullable): when the report was issued, `YYYY-MM-DD[THH:MM]`
 */
const char *
cachet_lab_report_get_report_date (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->report_date;
}

void
cachet_lab_report_set_report_date (CachetLabReport *self,
                                   const char      *date)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->report_date, date);
}

/**
 * cachet_lab_report_get_report_id:
 *
 * Returns: (nullable): the lab's id of this report (request number, CDA id)
 */
const char *
cachet_lab_report_get_report_id (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->report_id;
}

void
cachet_lab_report_set_report_id (CachetLabReport *self,
                                 const char      *report_id)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->report_id, report_id);
}

/**
 * cachet_lab_report_get_set_id:
 *
 * Returns: (nullable): the id every version of the report shares (CDA setId)
 */
const char *
cachet_lab_report_get_set_id (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->set_id;
}

void
cachet_lab_report_set_set_id (CachetLabReport *self,
                              const char      *set_id)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->set_id, set_id);
}

guint
cachet_lab_report_get_version (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), 0);
  return self->version;
}

void
cachet_lab_report_set_version (CachetLabReport *self,
                               guint            version)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  self->version = version;
}

/**
 * cachet_lab_report_get_replaces:
 *
 * Returns: (nullable): the id of the report this one replaces
 */
const char *
cachet_lab_report_get_replaces (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->replaces;
}

void
cachet_lab_report_set_replaces (CachetLabReport *self,
                                const char      *report_id)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  cachet_labs_set_string (&self->replaces, report_id);
}

CachetLabReportStatus
cachet_lab_report_get_status (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), CACHET_LAB_REPORT_STATUS_FINAL);
  return self->status;
}

void
cachet_lab_report_set_status (CachetLabReport       *self,
                              CachetLabReportStatus  status)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  self->status = status;
}

/**
 * cachet_lab_report_get_results:
 *
 * Returns: (transfer none): the #CachetLabResult of the report, in order
 */
GListModel *
cachet_lab_report_get_results (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return G_LIST_MODEL (self->results);
}

void
cachet_lab_report_add_result (CachetLabReport *self,
                              CachetLabResult *result)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  g_return_if_fail (CACHET_IS_LAB_RESULT (result));
  g_list_store_append (self->results, result);
}

/* A CDA carried inside an HL7 message or an XDM package holds the results;
 * the envelope keeps its own identity and takes them. */
void
cachet_lab_report_take_results (CachetLabReport *self,
                                CachetLabReport *other)
{
  guint n;

  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  g_return_if_fail (CACHET_IS_LAB_REPORT (other));

  n = g_list_model_get_n_items (G_LIST_MODEL (other->results));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CachetLabResult) result = g_list_model_get_item (G_LIST_MODEL (other->results), i);

      g_list_store_append (self->results, result);
    }
  g_list_store_remove_all (other->results);
  if (self->pdf == NULL && other->pdf != NULL)
    self->pdf = g_bytes_ref (other->pdf);
  if (other->text != NULL)
    cachet_lab_report_append_text (self, other->text->str);
}

/**
 * cachet_lab_report_get_text:
 *
 * Returns: (nullable): the printable text of the report, UTF-8
 */
const char *
cachet_lab_report_get_text (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->text != NULL ? self->text->str : NULL;
}

void
cachet_lab_report_append_text (CachetLabReport *self,
                               const char      *line)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  g_return_if_fail (line != NULL);

  if (self->text == NULL)
    self->text = g_string_new (NULL);
  else
    g_string_append_c (self->text, '\n');
  g_string_append (self->text, line);
}

/**
 * cachet_lab_report_get_pdf:
 *
 * Returns: (transfer none) (nullable): the PDF rendering the lab embedded
 */
GBytes *
cachet_lab_report_get_pdf (CachetLabReport *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);
  return self->pdf;
}

void
cachet_lab_report_set_pdf (CachetLabReport *self,
                           GBytes          *pdf)
{
  g_return_if_fail (CACHET_IS_LAB_REPORT (self));
  if (pdf != NULL)
    g_bytes_ref (pdf);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  self->pdf = pdf;
}

/**
 * cachet_lab_report_dup_business_key:
 *
 * Returns: (transfer full) (nullable): what makes two files the same
 *   report whatever their bytes: lab, the id shared by the report's
 *   versions, patient. The CDA id alone is not enough: the official
 *   examples reuse ids. %NULL without an id or a patient: such reports can
 *   only be told apart by their bytes.
 */
char *
cachet_lab_report_dup_business_key (CachetLabReport *self)
{
  g_autofree char *patient = NULL;
  const char *id;

  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);

  id = self->set_id != NULL ? self->set_id : self->report_id;
  if (id == NULL || !cachet_lab_patient_has_identity (self->patient))
    return NULL;
  patient = cachet_lab_patient_dup_match_key (self->patient);
  return g_strdup_printf ("%s|%s|%s", self->lab != NULL ? self->lab : "", id, patient);
}

/**
 * cachet_lab_report_dup_results_digest:
 *
 * Returns: (transfer full): a SHA-256 over the status and the results
 *   (code, value, unit, flag), so a report re-sent with the same results is
 *   recognised, while a correction or withdrawal never is
 */
char *
cachet_lab_report_dup_results_digest (CachetLabReport *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar status;
  guint n;

  g_return_val_if_fail (CACHET_IS_LAB_REPORT (self), NULL);

  status = (guchar) self->status;
  g_checksum_update (checksum, &status, 1);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CachetLabResult) result = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      const char *fields[] = {
        cachet_lab_result_get_code (result),
        cachet_lab_result_get_label (result),
        cachet_lab_result_get_value (result),
        cachet_lab_result_get_unit (result),
        cachet_lab_flag_to_code (cachet_lab_result_get_flag (result)),
      };

      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          /* The separator is a byte no decoded text contains. */
          if (fields[f] != NULL)
            g_checksum_update (checksum, (const guchar *) fields[f], -1);
          g_checksum_update (checksum, (const guchar *) "\x01", 1);
        }
      g_checksum_update (checksum, (const guchar *) "\x02", 1);
    }
  if (n == 0 && self->text != NULL)
    g_checksum_update (checksum, (const guchar *) self->text->str, (gssize) self->text->len);
  return g_strdup (g_checksum_get_string (checksum));
}

const char *
cachet_lab_format_to_string (CachetLabFormat format)
{
  if ((gsize) format >= G_N_ELEMENTS (formats))
    return formats[CACHET_LAB_FORMAT_UNKNOWN].name;
  return formats[format].name;
}

/**
 * cachet_lab_format_get_extension:
 *
 * Returns: the file name extension a file of @format is filed with
 */
const char *
cachet_lab_format_get_extension (CachetLabFormat format)
{
  if ((gsize) format >= G_N_ELEMENTS (formats))
    return formats[CACHET_LAB_FORMAT_UNKNOWN].extension;
  return formats[format].extension;
}
