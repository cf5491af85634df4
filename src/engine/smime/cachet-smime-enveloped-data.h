/* cachet-smime-enveloped-data.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-smime-error.h"
#include "cachet-smime-identity.h"

G_BEGIN_DECLS

/**
 * CACHET_ENVELOPED_DATA_MAX_SIZE:
 *
 * The largest CMS EnvelopedData decoded: above any message an MSSanté
 * operator accepts.
 */
#define CACHET_ENVELOPED_DATA_MAX_SIZE (64 * 1024 * 1024)

/**
 * CACHET_ENVELOPED_DATA_MAX_RECIPIENTS:
 *
 * The most recipients an EnvelopedData may name: far above any real
 * mailing, and a bound on the work an untrusted message causes.
 */
#define CACHET_ENVELOPED_DATA_MAX_RECIPIENTS 256

/**
 * CachetEnvelopeCipher:
 * @CACHET_ENVELOPE_CIPHER_AES_256_CBC: the default
 * @CACHET_ENVELOPE_CIPHER_AES_128_CBC: for correspondents whose software
 *   reads nothing stronger
 *
 * How the content of a message being encrypted is encrypted.
 */
typedef enum
{
  CACHET_ENVELOPE_CIPHER_AES_256_CBC,
  CACHET_ENVELOPE_CIPHER_AES_128_CBC,
} CachetEnvelopeCipher;

/**
 * CachetEnvelopeRecipientId:
 * @CACHET_ENVELOPE_RECIPIENT_ISSUER_SERIAL: issuerAndSerialNumber, which
 *   every S/MIME program reads
 * @CACHET_ENVELOPE_RECIPIENT_KEY_ID: subjectKeyIdentifier, which survives
 *   the renewal of a certificate on the same key
 *
 * How each recipient's certificate is named in a message being encrypted.
 */
typedef enum
{
  CACHET_ENVELOPE_RECIPIENT_ISSUER_SERIAL,
  CACHET_ENVELOPE_RECIPIENT_KEY_ID,
} CachetEnvelopeRecipientId;

typedef struct _CachetEnvelopedData CachetEnvelopedData;

CachetEnvelopedData *cachet_enveloped_data_new             (GBytes                      *der,
                                                            GError                     **error);
void                 cachet_enveloped_data_free            (CachetEnvelopedData         *self);
GStrv                cachet_enveloped_data_dup_recipients  (CachetEnvelopedData         *self);
GBytes              *cachet_enveloped_data_decrypt         (CachetEnvelopedData         *self,
                                                            CachetSmimeIdentity         *identity,
                                                            GError                     **error);
GBytes              *cachet_enveloped_data_encrypt         (GBytes                      *content,
                                                            GPtrArray                   *recipients,
                                                            CachetEnvelopeCipher         cipher,
                                                            CachetEnvelopeRecipientId    recipient_id,
                                                            GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetEnvelopedData, cachet_enveloped_data_free)

G_END_DECLS
