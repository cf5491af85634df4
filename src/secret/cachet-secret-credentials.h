/* cachet-secret-credentials.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define CACHET_TYPE_SECRET_CREDENTIALS (cachet_secret_credentials_get_type ())

G_DECLARE_FINAL_TYPE (CachetSecretCredentials, cachet_secret_credentials, CACHET, SECRET_CREDENTIALS, GObject)

CachetSecretCredentials *cachet_secret_credentials_new (void);

G_END_DECLS
