/* cachet-smime-identity.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gnutls/abstract.h>

#include "cachet-certificate.h"
#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define CACHET_TYPE_SMIME_IDENTITY (cachet_smime_identity_get_type ())

G_DECLARE_FINAL_TYPE (CachetSmimeIdentity, cachet_smime_identity, CACHET, SMIME_IDENTITY, GObject)

CachetSmimeIdentity *cachet_smime_identity_load_pkcs12     (const char                 *path,
                                                            const char                 *passphrase,
                                                            GError                    **error);
CachetSmimeIdentity *cachet_smime_identity_load_pkcs11     (const char                 *uri,
                                                            GError                    **error);
void                 cachet_smime_identity_load_async      (const char                 *identity,
                                                            CachetCredentialsProvider  *credentials,
                                                            const char                 *account_id,
                                                            GCancellable               *cancellable,
                                                            GAsyncReadyCallback         callback,
                                                            gpointer                    user_data);
CachetSmimeIdentity *cachet_smime_identity_load_finish     (GAsyncResult               *result,
                                                            GError                    **error);
CachetCertificate   *cachet_smime_identity_get_certificate (CachetSmimeIdentity        *self);
gnutls_privkey_t     cachet_smime_identity_get_private_key (CachetSmimeIdentity        *self);
gnutls_x509_crt_t   *cachet_smime_identity_get_chain       (CachetSmimeIdentity        *self,
                                                            guint                      *length);

G_END_DECLS
