/* cachet-smime-error.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_SMIME_ERROR (cachet_smime_error_quark ())

/**
 * CachetSmimeError:
 * @CACHET_SMIME_ERROR_UNREADABLE: a CMS structure (a signature) cannot be
 *   decoded; the message says why
 * @CACHET_SMIME_ERROR_IDENTITY_UNREADABLE: a signing identity (PKCS #12 file or
 *   PKCS #11 object) cannot be loaded
 * @CACHET_SMIME_ERROR_IDENTITY_NO_PRIVATE_KEY: the identity holds no private
 *   key (a wrong PKCS #12 passphrase is the %CACHET_NET_ERROR of
 *   cachet_client_identity_load_pkcs12())
 * @CACHET_SMIME_ERROR_SIGN_FAILED: the signature could not be made
 * @CACHET_SMIME_ERROR_CERTIFICATE_INVALID: a file to import holds no
 *   readable X.509 certificate
 * @CACHET_SMIME_ERROR_STORE: the certificate store cannot be read or written
 * @CACHET_SMIME_ERROR_NOT_FOUND: no certificate with that fingerprint is
 *   stored
 * @CACHET_SMIME_ERROR_NOT_RECIPIENT: the message is not encrypted for the
 *   identity's key; the message names the recipients it is for
 * @CACHET_SMIME_ERROR_DECRYPT_FAILED: the message is for the identity's key
 *   but does not decrypt (changed in transit, or damaged)
 * @CACHET_SMIME_ERROR_UNSUPPORTED: the message is encrypted with an
 *   algorithm Cachet does not implement
 * @CACHET_SMIME_ERROR_ENCRYPT_FAILED: a message could not be encrypted (a
 *   recipient has no usable certificate)
 *
 * Errors of the S/MIME layer. The verdict on a signed message is not an
 * error: it is a #CachetSecurityReport.
 */
typedef enum
{
  CACHET_SMIME_ERROR_UNREADABLE,
  CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
  CACHET_SMIME_ERROR_IDENTITY_NO_PRIVATE_KEY,
  CACHET_SMIME_ERROR_SIGN_FAILED,
  CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
  CACHET_SMIME_ERROR_STORE,
  CACHET_SMIME_ERROR_NOT_FOUND,
  CACHET_SMIME_ERROR_NOT_RECIPIENT,
  CACHET_SMIME_ERROR_DECRYPT_FAILED,
  CACHET_SMIME_ERROR_UNSUPPORTED,
  CACHET_SMIME_ERROR_ENCRYPT_FAILED,
} CachetSmimeError;

GQuark cachet_smime_error_quark (void);

G_END_DECLS
