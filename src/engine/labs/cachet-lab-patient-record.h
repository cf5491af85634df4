/* cachet-lab-patient-record.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetLabPatientRecordFields:
 *
 * What a row of the journal's patients holds; strings are owned by the
 * caller.
 */
typedef struct
{
  gint64      id;
  const char *display_name;
  const char *family_name;
  const char *given_names;
  const char *birth_date;
  char        sex;
  const char *ins;
  gboolean    ins_qualified;
  const char *match_key;
  const char *folder;
  guint       n_reports;
} CachetLabPatientRecordFields;

#define CACHET_TYPE_LAB_PATIENT_RECORD (cachet_lab_patient_record_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabPatientRecord, cachet_lab_patient_record, CACHET, LAB_PATIENT_RECORD, GObject)

CachetLabPatientRecord *cachet_lab_patient_record_new               (const CachetLabPatientRecordFields *fields);
gint64                  cachet_lab_patient_record_get_id            (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_display_name  (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_family_name   (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_given_names   (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_birth_date    (CachetLabPatientRecord             *self);
char                    cachet_lab_patient_record_get_sex           (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_ins           (CachetLabPatientRecord             *self);
gboolean                cachet_lab_patient_record_get_ins_qualified (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_match_key     (CachetLabPatientRecord             *self);
const char             *cachet_lab_patient_record_get_folder        (CachetLabPatientRecord             *self);
guint                   cachet_lab_patient_record_get_n_reports     (CachetLabPatientRecord             *self);

G_END_DECLS
