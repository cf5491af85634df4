/* cachet-add-account-dialog.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-account-list.h"
#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define CACHET_TYPE_ADD_ACCOUNT_DIALOG (cachet_add_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CachetAddAccountDialog, cachet_add_account_dialog, CACHET, ADD_ACCOUNT_DIALOG, AdwWindow)

CachetAddAccountDialog *cachet_add_account_dialog_new (CachetAccountList         *accounts,
                                                       CachetCredentialsProvider *credentials);

G_END_DECLS
