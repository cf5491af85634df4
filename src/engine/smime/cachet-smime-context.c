/* cachet-smime-context.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-gmime-autocleanups.h"
#include "cachet-smime.h"
#include "cachet-smime-context.h"
#include "cachet-smime-enveloped-data.h"
#include "cachet-smime-error.h"
#include "cachet-smime-signed-data.h"

/* S/MIME for GMime on GnuTLS: with it registered, GMime's multipart/signed
 * and application/pkcs7-mime parts sign, verify, encrypt and decrypt through
 * the same code as cachet_smime_verify_message() and
 * cachet_smime_decrypt_message(). The context signs and decrypts with the
 * identity set on it (the user id GMime passes is not a key name here),
 * verifies against the anchors of its certificate store, and encrypts for
 * the certificates it keeps for the recipients' addresses. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeSignatureList, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeSignature, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeCertificate, g_object_unref)

struct _CachetSmimeContext
{
  GMimeCryptoContext parent_instance;

  CachetCertificateStore *store;
  CachetSmimeIdentity *identity;
};

G_DEFINE_FINAL_TYPE (CachetSmimeContext, cachet_smime_context, GMIME_TYPE_CRYPTO_CONTEXT)

static void
cachet_smime_context_dispose (GObject *object)
{
  CachetSmimeContext *self = CACHET_SMIME_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (cachet_smime_context_parent_class)->dispose (object);
}

static GMimeDigestAlgo
cachet_smime_context_digest_id (GMimeCryptoContext *context,
                                const char         *name)
{
  if (name == NULL)
    return GMIME_DIGEST_ALGO_DEFAULT;
  if (g_ascii_strcasecmp (name, "sha-256") == 0 || g_ascii_strcasecmp (name, "sha256") == 0)
    return GMIME_DIGEST_ALGO_SHA256;
  if (g_ascii_strcasecmp (name, "sha-384") == 0 || g_ascii_strcasecmp (name, "sha384") == 0)
    return GMIME_DIGEST_ALGO_SHA384;
  if (g_ascii_strcasecmp (name, "sha-512") == 0 || g_ascii_strcasecmp (name, "sha512") == 0)
    return GMIME_DIGEST_ALGO_SHA512;
  if (g_ascii_strcasecmp (name, "sha-1") == 0 || g_ascii_strcasecmp (name, "sha1") == 0)
    return GMIME_DIGEST_ALGO_SHA1;
  return GMIME_DIGEST_ALGO_DEFAULT;
}

static const char *
cachet_smime_context_digest_name (GMimeCryptoContext *context,
                                  GMimeDigestAlgo     digest)
{
  if (digest == GMIME_DIGEST_ALGO_SHA1)
    return "sha-1";
  if (digest == GMIME_DIGEST_ALGO_SHA384)
    return "sha-384";
  if (digest == GMIME_DIGEST_ALGO_SHA512)
    return "sha-512";
  return "sha-256";
}

static const char *
cachet_smime_context_get_signature_protocol (GMimeCryptoContext *context)
{
  return "application/pkcs7-signature";
}

static const char *
cachet_smime_context_get_encryption_protocol (GMimeCryptoContext *context)
{
  return "application/pkcs7-mime";
}

static const char *
cachet_smime_context_get_key_exchange_protocol (GMimeCryptoContext *context)
{
  return "application/pkcs7-keys";
}

static GBytes *
read_stream (GMimeStream *stream)
{
  g_autoptr(GMimeStream) memory = g_mime_stream_mem_new ();
  GByteArray *array;

  if (g_mime_stream_write_to_stream (stream, memory) < 0)
    return NULL;
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (memory));
  return g_bytes_new (array->data, array->len);
}

static gboolean
write_bytes (GMimeStream  *stream,
             GBytes       *bytes,
             GError      **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (g_mime_stream_write (stream, data, size) != (gssize) size)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The result could not be written."));
      return FALSE;
    }
  return TRUE;
}

static int
cachet_smime_context_sign (GMimeCryptoContext  *context,
                           gboolean             detach,
                           const char          *userid,
                           GMimeStream         *istream,
                           GMimeStream         *ostream,
                           GError             **error)
{
  CachetSmimeContext *self = CACHET_SMIME_CONTEXT (context);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) signature = NULL;

  if (self->identity == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
                           _("No signing certificate is set. Choose one for the account."));
      return -1;
    }
  if ((content = read_stream (istream)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The message to sign could not be read."));
      return -1;
    }
  if ((signature = cachet_signed_data_sign (self->identity, content, detach, error)) == NULL ||
      !write_bytes (ostream, signature, error))
    return -1;

  return GMIME_DIGEST_ALGO_SHA256;
}

static GMimeSignatureStatus
status_for_report (CachetSecurityReport *report)
{
  GMimeSignatureStatus status = 0;

  switch (cachet_security_report_get_verdict (report))
    {
    case CACHET_SECURITY_VERDICT_VALID:
      return GMIME_SIGNATURE_STATUS_VALID | GMIME_SIGNATURE_STATUS_GREEN;
    case CACHET_SECURITY_VERDICT_UNTRUSTED:
    case CACHET_SECURITY_VERDICT_OTHER_ADDRESS:
      status = GMIME_SIGNATURE_STATUS_VALID;
      break;
    case CACHET_SECURITY_VERDICT_NOT_SIGNED:
    case CACHET_SECURITY_VERDICT_PARTLY_SIGNED:
    case CACHET_SECURITY_VERDICT_UNSUPPORTED:
    case CACHET_SECURITY_VERDICT_INVALID:
    case CACHET_SECURITY_VERDICT_UNREADABLE:
    default:
      status = GMIME_SIGNATURE_STATUS_RED;
      break;
    }

  if (cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_EXPIRED))
    status |= GMIME_SIGNATURE_STATUS_KEY_EXPIRED;
  if (cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_REVOKED))
    status |= GMIME_SIGNATURE_STATUS_KEY_REVOKED;
  if (cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_SIGNER_UNKNOWN))
    status |= GMIME_SIGNATURE_STATUS_KEY_MISSING;
  if (cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_NOT_FOR_EMAIL) ||
      cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_INSECURE_ALGORITHM))
    status |= GMIME_SIGNATURE_STATUS_BAD_POLICY;

  return status;
}

static GMimeCertificate *
certificate_for_report (CachetSecurityReport *report)
{
  CachetCertificate *signer = cachet_security_report_get_signer (report);
  g_autoptr(GMimeCertificate) certificate = g_mime_certificate_new ();
  const char * const *addresses;

  if (signer == NULL)
    return NULL;

  addresses = cachet_certificate_get_email_addresses (signer);
  g_mime_certificate_set_name (certificate, cachet_certificate_get_subject (signer));
  g_mime_certificate_set_issuer_name (certificate, cachet_certificate_get_issuer (signer));
  g_mime_certificate_set_fingerprint (certificate, cachet_certificate_get_fingerprint (signer));
  if (addresses[0] != NULL)
    g_mime_certificate_set_email (certificate, addresses[0]);
  g_mime_certificate_set_created (certificate,
                                  g_date_time_to_unix (cachet_certificate_get_not_before (signer)));
  g_mime_certificate_set_expires (certificate,
                                  g_date_time_to_unix (cachet_certificate_get_not_after (signer)));
  g_mime_certificate_set_digest_algo (certificate, GMIME_DIGEST_ALGO_SHA256);
  g_mime_certificate_set_trust (certificate,
                                cachet_security_report_get_verdict (report) == CACHET_SECURITY_VERDICT_VALID
                                  ? GMIME_TRUST_FULL : GMIME_TRUST_UNKNOWN);

  return g_steal_pointer (&certificate);
}

static GMimeSignatureList *
cachet_smime_context_verify (GMimeCryptoContext  *context,
                             GMimeVerifyFlags     flags,
                             GMimeStream         *istream,
                             GMimeStream         *sigstream,
                             GMimeStream         *ostream,
                             GError             **error)
{
  CachetSmimeContext *self = CACHET_SMIME_CONTEXT (context);
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(CachetSignedData) signed_data = NULL;
  g_autoptr(CachetSecurityReport) report = cachet_security_report_new ();
  g_autoptr(GMimeSignatureList) signatures = g_mime_signature_list_new ();
  g_autoptr(GMimeSignature) signature = g_mime_signature_new ();
  g_autoptr(GMimeCertificate) certificate = NULL;
  GDateTime *signing_time;
  gnutls_x509_trust_list_t anchors;

  /* GMime passes the signature as sigstream for multipart/signed, and as
   * istream alone for an opaque application/pkcs7-mime. */
  der = read_stream (sigstream != NULL ? sigstream : istream);
  if (der == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                           _("The signature cannot be read."));
      return NULL;
    }
  if (sigstream != NULL && (content = read_stream (istream)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The signed message could not be read."));
      return NULL;
    }
  if ((signed_data = cachet_signed_data_new (der, error)) == NULL ||
      (anchors = cachet_certificate_store_lock_anchors (self->store, error)) == NULL)
    return NULL;

  cachet_security_report_set_signed (report, TRUE);
  cachet_signed_data_check (signed_data, content, anchors, report);
  cachet_certificate_store_unlock_anchors (self->store);

  if (sigstream == NULL && ostream != NULL)
    {
      g_autoptr(GBytes) embedded = cachet_signed_data_dup_content (signed_data);

      if (embedded != NULL && !write_bytes (ostream, embedded, error))
        return NULL;
    }

  g_mime_signature_set_status (signature, status_for_report (report));
  if ((signing_time = cachet_security_report_get_signing_time (report)) != NULL)
    g_mime_signature_set_created (signature, g_date_time_to_unix (signing_time));
  if ((certificate = certificate_for_report (report)) != NULL)
    g_mime_signature_set_certificate (signature, certificate);
  g_mime_signature_list_add (signatures, signature);

  return g_steal_pointer (&signatures);
}

static gboolean
require_identity (CachetSmimeContext  *self,
                  GError             **error)
{
  if (self->identity == NULL)
    g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
                         _("No certificate is set. Choose one for the account."));
  return self->identity != NULL;
}

static int
cachet_smime_context_encrypt (GMimeCryptoContext  *context,
                              gboolean             sign,
                              const char          *userid,
                              GMimeEncryptFlags    flags,
                              GPtrArray           *recipients,
                              GMimeStream         *istream,
                              GMimeStream         *ostream,
                              GError             **error)
{
  CachetSmimeContext *self = CACHET_SMIME_CONTEXT (context);
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) envelope = NULL;

  /* As GMime's own PKCS #7 context: a signature goes inside the encrypted
   * entity (cachet_smime_encrypt_message()), not into the same stream. */
  if (sign)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_ENCRYPT_FAILED,
                           _("A stream cannot be signed and encrypted at once; sign the "
                             "message first."));
      return -1;
    }
  if (!require_identity (self, error))
    return -1;

  addresses = g_ptr_array_new_full (recipients->len + 1, NULL);
  for (guint i = 0; i < recipients->len; i++)
    g_ptr_array_add (addresses, g_ptr_array_index (recipients, i));
  g_ptr_array_add (addresses, NULL);
  if ((found = cachet_smime_find_recipients (self->store, (const char * const *) addresses->pdata,
                                             error)) == NULL)
    return -1;
  certificates = cachet_smime_envelope_recipients (self->identity, found);

  if ((content = read_stream (istream)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The message to encrypt could not be read."));
      return -1;
    }
  if ((envelope = cachet_enveloped_data_encrypt (content, certificates,
                                                 CACHET_ENVELOPE_CIPHER_AES_256_CBC,
                                                 CACHET_ENVELOPE_RECIPIENT_ISSUER_SERIAL,
                                                 error)) == NULL ||
      !write_bytes (ostream, envelope, error))
    return -1;
  return 0;
}

static GMimeDecryptResult *
cachet_smime_context_decrypt (GMimeCryptoContext  *context,
                              GMimeDecryptFlags    flags,
                              const char          *session_key,
                              GMimeStream         *istream,
                              GMimeStream         *ostream,
                              GError             **error)
{
  CachetSmimeContext *self = CACHET_SMIME_CONTEXT (context);
  g_autoptr(GBytes) der = NULL;
  g_autoptr(CachetEnvelopedData) envelope = NULL;
  g_autoptr(GBytes) plaintext = NULL;

  if (!require_identity (self, error))
    return NULL;
  if ((der = read_stream (istream)) == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                           _("The encrypted part cannot be read."));
      return NULL;
    }
  if ((envelope = cachet_enveloped_data_new (der, error)) == NULL ||
      (plaintext = cachet_enveloped_data_decrypt (envelope, self->identity, error)) == NULL ||
      !write_bytes (ostream, plaintext, error))
    return NULL;

  return g_mime_decrypt_result_new ();
}

static int
cachet_smime_context_import_keys (GMimeCryptoContext  *context,
                                  GMimeStream         *istream,
                                  GError             **error)
{
  CachetSmimeContext *self = CACHET_SMIME_CONTEXT (context);
  g_autoptr(GBytes) data = read_stream (istream);
  g_autoptr(GPtrArray) certificates = NULL;

  if (data == NULL || (certificates = cachet_certificates_from_data (data, error)) == NULL)
    {
      if (data == NULL)
        g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                             _("The certificates cannot be read."));
      return -1;
    }
  for (guint i = 0; i < certificates->len; i++)
    {
      if (!cachet_certificate_store_add_correspondent (self->store,
                                                       g_ptr_array_index (certificates, i), error))
        return -1;
    }
  return (int) certificates->len;
}

static void
cachet_smime_context_class_init (CachetSmimeContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GMimeCryptoContextClass *context_class = GMIME_CRYPTO_CONTEXT_CLASS (klass);

  object_class->dispose = cachet_smime_context_dispose;
  context_class->digest_id = cachet_smime_context_digest_id;
  context_class->digest_name = cachet_smime_context_digest_name;
  context_class->get_signature_protocol = cachet_smime_context_get_signature_protocol;
  context_class->get_encryption_protocol = cachet_smime_context_get_encryption_protocol;
  context_class->get_key_exchange_protocol = cachet_smime_context_get_key_exchange_protocol;
  context_class->sign = cachet_smime_context_sign;
  context_class->verify = cachet_smime_context_verify;
  context_class->encrypt = cachet_smime_context_encrypt;
  context_class->decrypt = cachet_smime_context_decrypt;
  context_class->import_keys = cachet_smime_context_import_keys;
}

static void
cachet_smime_context_init (CachetSmimeContext *self)
{
}

/**
 * cachet_smime_context_new:
 * @store: (nullable): the certificates to verify against; %NULL for the
 *   user's store
 *
 * Returns: (transfer full): a context that verifies, and signs once given an
 *   identity
 */
CachetSmimeContext *
cachet_smime_context_new (CachetCertificateStore *store)
{
  CachetSmimeContext *self = g_object_new (CACHET_TYPE_SMIME_CONTEXT, NULL);

  self->store = store != NULL ? g_object_ref (store) : cachet_certificate_store_new (NULL);
  return self;
}

void
cachet_smime_context_set_identity (CachetSmimeContext  *self,
                                   CachetSmimeIdentity *identity)
{
  g_return_if_fail (CACHET_IS_SMIME_CONTEXT (self));
  g_set_object (&self->identity, identity);
}

static GMimeCryptoContext *
new_default_context (void)
{
  return GMIME_CRYPTO_CONTEXT (cachet_smime_context_new (NULL));
}

/**
 * cachet_smime_context_register:
 *
 * Makes GMime create a #CachetSmimeContext for the S/MIME protocols. Called
 * by cachet_mime_init().
 */
void
cachet_smime_context_register (void)
{
  static const char * const protocols[] = {
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pkcs7-mime",
    "application/x-pkcs7-mime",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    g_mime_crypto_context_register (protocols[i], new_default_context);
}
