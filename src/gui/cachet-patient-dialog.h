/* cachet-patient-dialog.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-lab-filer.h"
#include "cachet-lab-patient.h"

G_BEGIN_DECLS

#define CACHET_TYPE_PATIENT_DIALOG (cachet_patient_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CachetPatientDialog, cachet_patient_dialog, CACHET, PATIENT_DIALOG, AdwWindow)

CachetPatientDialog *cachet_patient_dialog_new (GtkWindow        *parent,
                                                CachetLabFiler   *filer,
                                                CachetLabPatient *reported,
                                                gint64            candidate_id);

G_END_DECLS
