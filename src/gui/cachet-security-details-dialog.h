/* cachet-security-details-dialog.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-security-report.h"

G_BEGIN_DECLS

#define CACHET_TYPE_SECURITY_DETAILS_DIALOG (cachet_security_details_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CachetSecurityDetailsDialog, cachet_security_details_dialog, CACHET, SECURITY_DETAILS_DIALOG, AdwWindow)

CachetSecurityDetailsDialog *cachet_security_details_dialog_new (CachetSecurityReport *report);

G_END_DECLS
