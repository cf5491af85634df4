/* cachet-lab-patient.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CACHET_TYPE_LAB_PATIENT (cachet_lab_patient_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabPatient, cachet_lab_patient, CACHET, LAB_PATIENT, GObject)

CachetLabPatient *cachet_lab_patient_new               (void);
const char       *cachet_lab_patient_get_family_name   (CachetLabPatient *self);
void              cachet_lab_patient_set_family_name   (CachetLabPatient *self,
                                                        const char       *family_name);
const char       *cachet_lab_patient_get_given_names   (CachetLabPatient *self);
void              cachet_lab_patient_set_given_names   (CachetLabPatient *self,
                                                        const char       *given_names);
const char       *cachet_lab_patient_get_birth_date    (CachetLabPatient *self);
void              cachet_lab_patient_set_birth_date    (CachetLabPatient *self,
                                                        const char       *birth_date);
char              cachet_lab_patient_get_sex           (CachetLabPatient *self);
void              cachet_lab_patient_set_sex           (CachetLabPatient *self,
                                                        char              sex);
const char       *cachet_lab_patient_get_ins           (CachetLabPatient *self);
const char       *cachet_lab_patient_get_ins_oid       (CachetLabPatient *self);
gboolean          cachet_lab_patient_get_ins_qualified (CachetLabPatient *self);
void              cachet_lab_patient_set_ins           (CachetLabPatient *self,
                                                        const char       *ins,
                                                        const char       *oid,
                                                        gboolean          qualified);
const char       *cachet_lab_patient_get_nir           (CachetLabPatient *self);
void              cachet_lab_patient_set_nir           (CachetLabPatient *self,
                                                        const char       *nir);
gboolean          cachet_lab_patient_has_identity      (CachetLabPatient *self);
char             *cachet_lab_patient_dup_match_key     (CachetLabPatient *self);
char             *cachet_lab_patient_dup_display_name  (CachetLabPatient *self);

gboolean          cachet_lab_ins_oid_is_production     (const char       *oid);

G_END_DECLS
