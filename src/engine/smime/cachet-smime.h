/* cachet-smime.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "cachet-certificate-store.h"
#include "cachet-security-report.h"
#include "cachet-smime-enveloped-data.h"
#include "cachet-smime-error.h"
#include "cachet-smime-identity.h"

G_BEGIN_DECLS

/**
 * CachetSmimeSignMode:
 * @CACHET_SMIME_SIGN_DETACHED: multipart/signed, readable without S/MIME
 * @CACHET_SMIME_SIGN_OPAQUE: application/pkcs7-mime; smime-type=signed-data,
 *   which no gateway can alter without breaking the signature
 */
typedef enum
{
  CACHET_SMIME_SIGN_DETACHED,
  CACHET_SMIME_SIGN_OPAQUE,
} CachetSmimeSignMode;

CachetSecurityReport *cachet_smime_verify_message      (GMimeMessage               *message,
                                                        CachetCertificateStore     *store,
                                                        GError                    **error);
void                  cachet_smime_verify_async        (CachetCertificateStore     *store,
                                                        GBytes                     *raw_message,
                                                        GCancellable               *cancellable,
                                                        GAsyncReadyCallback         callback,
                                                        gpointer                    user_data);
CachetSecurityReport *cachet_smime_verify_finish       (CachetCertificateStore     *store,
                                                        GAsyncResult               *result,
                                                        GError                    **error);
gboolean              cachet_smime_sign_message        (GMimeMessage               *message,
                                                        CachetSmimeIdentity        *identity,
                                                        CachetSmimeSignMode         mode,
                                                        GError                    **error);
GMimeObject          *cachet_smime_decrypt_message     (GMimeMessage               *message,
                                                        CachetSmimeIdentity        *identity,
                                                        CachetCertificateStore     *store,
                                                        CachetSecurityReport      **report,
                                                        GError                    **error);
void                  cachet_smime_decrypt_async       (CachetCertificateStore     *store,
                                                        CachetSmimeIdentity        *identity,
                                                        GBytes                     *raw_message,
                                                        GCancellable               *cancellable,
                                                        GAsyncReadyCallback         callback,
                                                        gpointer                    user_data);
CachetSecurityReport *cachet_smime_decrypt_finish      (CachetCertificateStore     *store,
                                                        GAsyncResult               *result,
                                                        GError                    **error);
GPtrArray            *cachet_smime_find_recipients     (CachetCertificateStore     *store,
                                                        const char * const         *addresses,
                                                        GError                    **error);
GPtrArray            *cachet_smime_envelope_recipients (CachetSmimeIdentity        *sender,
                                                        GPtrArray                  *certificates);
gboolean              cachet_smime_encrypt_message     (GMimeMessage               *message,
                                                        CachetSmimeIdentity        *identity,
                                                        GPtrArray                  *recipients,
                                                        gboolean                    sign,
                                                        CachetEnvelopeCipher        cipher,
                                                        CachetEnvelopeRecipientId   recipient_id,
                                                        GError                    **error);
GBytes               *cachet_smime_protect_message     (GBytes                     *message,
                                                        CachetSmimeIdentity        *identity,
                                                        CachetCertificateStore     *store,
                                                        const char * const         *recipients,
                                                        gboolean                    sign,
                                                        gboolean                    encrypt,
                                                        GError                    **error);

G_END_DECLS
