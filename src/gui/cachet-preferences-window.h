/* cachet-preferences-window.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-account-list.h"
#include "cachet-certificate-store.h"
#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define CACHET_TYPE_PREFERENCES_WINDOW (cachet_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CachetPreferencesWindow, cachet_preferences_window, CACHET, PREFERENCES_WINDOW, AdwPreferencesWindow)

CachetPreferencesWindow *cachet_preferences_window_new              (CachetAccountList         *accounts,
                                                                    CachetCredentialsProvider *credentials);
void                     cachet_preferences_window_add_certificates (CachetPreferencesWindow   *self,
                                                                    CachetCertificateStore    *store);

G_END_DECLS
