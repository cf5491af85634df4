/* cachet-client-identity.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GTlsCertificate *cachet_client_identity_load_pkcs12 (const char  *path,
                                                     const char  *passphrase,
                                                     GError     **error);
GTlsCertificate *cachet_client_identity_load_pkcs11 (const char  *certificate_uri,
                                                     const char  *private_key_uri,
                                                     GError     **error);

G_END_DECLS
