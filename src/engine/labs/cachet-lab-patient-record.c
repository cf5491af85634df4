/* cachet-lab-patient-record.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-patient-record.h"

/* A patient the journal knows, immutable: what the user chooses from when
 * a report's identity is not certain. Unlike CachetLabPatient, which is
 * what one file says, this is who the practice filed results for. */

struct _CachetLabPatientRecord
{
  GObject parent_instance;

  gint64 id;
  char *display_name;
  char *family_name;
  char *given_names;
  char *birth_date;
  char sex;
  char *ins;
  gboolean ins_qualified;
  char *match_key;
  char *folder;
  guint n_reports;
};

G_DEFINE_FINAL_TYPE (CachetLabPatientRecord, cachet_lab_patient_record, G_TYPE_OBJECT)

static void
cachet_lab_patient_record_finalize (GObject *object)
{
  CachetLabPatientRecord *self = CACHET_LAB_PATIENT_RECORD (object);

  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->family_name, g_free);
  g_clear_pointer (&self->given_names, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  g_clear_pointer (&self->ins, g_free);
  g_clear_pointer (&self->match_key, g_free);
  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (cachet_lab_patient_record_parent_class)->finalize (object);
}

static void
cachet_lab_patient_record_class_init (CachetLabPatientRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_patient_record_finalize;
}

static void
cachet_lab_patient_record_init (CachetLabPatientRecord *self)
{
  self->sex = 'U';
}

CachetLabPatientRecord *
cachet_lab_patient_record_new (const CachetLabPatientRecordFields *fields)
{
  CachetLabPatientRecord *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (CACHET_TYPE_LAB_PATIENT_RECORD, NULL);
  self->id = fields->id;
  self->display_name = g_strdup (fields->display_name != NULL ? fields->display_name : "");
  self->family_name = g_strdup (fields->family_name);
  self->given_names = g_strdup (fields->given_names);
  self->birth_date = g_strdup (fields->birth_date);
  self->sex = fields->sex == 'M' || fields->sex == 'F' ? fields->sex : 'U';
  self->ins = g_strdup (fields->ins);
  self->ins_qualified = fields->ins != NULL && fields->ins_qualified;
  self->match_key = g_strdup (fields->match_key);
  self->folder = g_strdup (fields->folder);
  self->n_reports = fields->n_reports;
  return self;
}

gint64
cachet_lab_patient_record_get_id (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), 0);
  return self->id;
}

/**
 * cachet_lab_patient_record_get_display_name:
 *
 * Returns: `NOM Prénom (YYYY-MM-DD)` as first filed, never %NULL
 */
const char *
cachet_lab_patient_record_get_display_name (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->display_name;
}

/**
 * cachet_lab_patient_record_get_family_name:
 *
 * Returns: (nullable): the family name, %NULL for a patient recorded
 *   before the journal kept it
 */
const char *
cachet_lab_patient_record_get_family_name (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->family_name;
}

/**
 * cachet_lab_patient_record_get_given_names:
 *
 * Returns: (nullable): the given names, as the first report gave them
 */
const char *
cachet_lab_patient_record_get_given_names (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->given_names;
}

/**
 * cachet_lab_patient_record_get_birth_date:
 *
 * Returns: (nullable): the date of birth as `YYYY-MM-DD`
 */
const char *
cachet_lab_patient_record_get_birth_date (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->birth_date;
}

/**
 * cachet_lab_patient_record_get_sex:
 *
 * Returns: `M`, `F` or `U` (unknown)
 */
char
cachet_lab_patient_record_get_sex (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), 'U');
  return self->sex;
}

/**
 * cachet_lab_patient_record_get_ins:
 *
 * Returns: (nullable): the INS, qualified or as a report gave it
 */
const char *
cachet_lab_patient_record_get_ins (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->ins;
}

/**
 * cachet_lab_patient_record_get_ins_qualified:
 *
 * Returns: whether the INS was qualified: reports with it are filed with
 *   this patient without asking
 */
gboolean
cachet_lab_patient_record_get_ins_qualified (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), FALSE);
  return self->ins_qualified;
}

/**
 * cachet_lab_patient_record_get_match_key:
 *
 * Returns: (nullable): as cachet_lab_patient_dup_match_key(): reports
 *   with the same key propose this patient
 */
const char *
cachet_lab_patient_record_get_match_key (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->match_key;
}

/**
 * cachet_lab_patient_record_get_folder:
 *
 * Returns: the patient's folder in the archive, as a full path
 */
const char *
cachet_lab_patient_record_get_folder (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), NULL);
  return self->folder;
}

/**
 * cachet_lab_patient_record_get_n_reports:
 *
 * Returns: how many reports are filed in the patient's folder, corrected
 *   versions included
 */
guint
cachet_lab_patient_record_get_n_reports (CachetLabPatientRecord *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT_RECORD (self), 0);
  return self->n_reports;
}
