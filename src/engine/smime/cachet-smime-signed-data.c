/* cachet-smime-signed-data.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <string.h>

#include "cachet-smime-error.h"
#include "cachet-smime-signed-data.h"

/* CMS SignedData (RFC 5652) through GnuTLS, with the checks GnuTLS leaves to
 * its caller (see docs/security.md §1.2): exactly one signer, all or
 * nothing; a detached signature must carry no content of its own, or it
 * would be verified instead of what is displayed; the signer's certificate
 * is found exactly as GnuTLS matches it, and two different candidates are
 * refused; the signed attributes follow RFC 5652 §11 strictly. */

#define OID_CONTENT_TYPE "1.2.840.113549.1.9.3"
#define OID_MESSAGE_DIGEST "1.2.840.113549.1.9.4"
#define OID_SIGNING_TIME "1.2.840.113549.1.9.5"
#define OID_SMIME_CAPABILITIES "1.2.840.113549.1.9.15"
#define OID_EMAIL_PROTECTION "1.3.6.1.5.5.7.3.4"

/* Bounds on what an untrusted signature makes us look at. */
#define MAX_ATTRIBUTES 64
#define MAX_CERTIFICATES 64
#define MAX_CHAIN_LENGTH 16

/* SMIMECapabilities (RFC 8551 §2.5.2): AES-256-CBC, then AES-128-CBC. */
static const guint8 smime_capabilities[] = {
  0x30, 0x1a,
  0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a,
  0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02,
};

struct _CachetSignedData
{
  gnutls_pkcs7_t pkcs7;
};

static void
crt_free (gpointer crt)
{
  gnutls_x509_crt_deinit (crt);
}

/**
 * cachet_signed_data_new:
 * @der: a DER-encoded CMS ContentInfo holding SignedData, as found in a
 *   `.p7s` or `.p7m` part, from an untrusted sender
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the decoded structure, or %NULL with
 *   %CACHET_SMIME_ERROR_UNREADABLE saying why
 */
CachetSignedData *
cachet_signed_data_new (GBytes  *der,
                        GError **error)
{
  g_autoptr(CachetSignedData) self = g_new0 (CachetSignedData, 1);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (der, &size);
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) size };
  int status;

  if (size == 0)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                           _("The signature is empty."));
      return NULL;
    }
  if (size > CACHET_SIGNED_DATA_MAX_SIZE)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                           _("The signature is too large to be checked."));
      return NULL;
    }

  status = gnutls_pkcs7_init (&self->pkcs7);
  if (status >= 0)
    status = gnutls_pkcs7_import (self->pkcs7, &datum, GNUTLS_X509_FMT_DER);
  if (status < 0)
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE,
                   _("The signature cannot be read: %s"), gnutls_strerror (status));
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
cachet_signed_data_free (CachetSignedData *self)
{
  if (self == NULL)
    return;
  if (self->pkcs7 != NULL)
    gnutls_pkcs7_deinit (self->pkcs7);
  g_free (self);
}

/**
 * cachet_signed_data_dup_content:
 *
 * Returns: (transfer full) (nullable): the content embedded in an opaque
 *   signature, or %NULL for a detached one
 */
GBytes *
cachet_signed_data_dup_content (CachetSignedData *self)
{
  gnutls_datum_t content = { NULL, 0 };
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);

  if (gnutls_pkcs7_get_embedded_data (self->pkcs7, 0, &content) < 0)
    return NULL;
  bytes = g_bytes_new (content.data, content.size);
  gnutls_free (content.data);

  return bytes;
}

/* RFC 5652 §11 and RFC 8551 §2.5: with signed attributes, exactly one
 * content type and one message digest, at most one signing time, all of
 * them signed. GnuTLS accepts a missing content type and a signing time
 * among the unsigned attributes (OpenSSL's no_ct_attr, bad_signtime_attr). */
static const char *
check_attributes (gnutls_pkcs7_signature_info_st *info)
{
  guint content_types = 0;
  guint digests = 0;
  guint signing_times = 0;
  guint n_signed = 0;

  for (unsigned int i = 0; i < MAX_ATTRIBUTES; i++)
    {
      char *oid = NULL;
      gnutls_datum_t value = { NULL, 0 };
      int status = gnutls_pkcs7_get_attr (info->signed_attrs, i, &oid, &value, 0);

      if (status == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (status < 0)
        return _("The signed attributes cannot be read.");
      gnutls_free (value.data);
      n_signed++;
      content_types += g_strcmp0 (oid, OID_CONTENT_TYPE) == 0;
      digests += g_strcmp0 (oid, OID_MESSAGE_DIGEST) == 0;
      signing_times += g_strcmp0 (oid, OID_SIGNING_TIME) == 0;
    }

  if (n_signed >= MAX_ATTRIBUTES)
    return _("The signature has too many signed attributes.");
  if (n_signed > 0 && content_types != 1)
    return _("The signature must sign exactly one content type.");
  if (n_signed > 0 && digests != 1)
    return _("The signature must sign exactly one message digest.");
  if (signing_times > 1)
    return _("The signature has more than one signing time.");

  for (unsigned int i = 0; i < MAX_ATTRIBUTES; i++)
    {
      char *oid = NULL;
      gnutls_datum_t value = { NULL, 0 };
      int status = gnutls_pkcs7_get_attr (info->unsigned_attrs, i, &oid, &value, 0);

      if (status == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (status < 0)
        return _("The unsigned attributes cannot be read.");
      gnutls_free (value.data);
      if (g_strcmp0 (oid, OID_CONTENT_TYPE) == 0 || g_strcmp0 (oid, OID_MESSAGE_DIGEST) == 0 ||
          g_strcmp0 (oid, OID_SIGNING_TIME) == 0)
        return _("The signature puts a content type, digest or signing time outside what it signs.");
    }

  return NULL;
}

static gboolean
datum_equal (const gnutls_datum_t *a,
             const gnutls_datum_t *b)
{
  return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

static gboolean
crt_equal (gnutls_x509_crt_t a,
           gnutls_x509_crt_t b)
{
  return gnutls_x509_crt_equals (a, b) != 0;
}

/* Whether @crt is what the SignerIdentifier of @info names: issuer and serial
 * number, or subject key identifier. */
static gboolean
is_signer (gnutls_x509_crt_t                crt,
           gnutls_pkcs7_signature_info_st  *info)
{
  if (info->issuer_keyid.size > 0)
    {
      guint8 keyid[128];
      size_t size = sizeof keyid;
      gnutls_datum_t datum;

      if (gnutls_x509_crt_get_subject_key_id (crt, keyid, &size, NULL) < 0)
        return FALSE;
      datum.data = keyid;
      datum.size = (unsigned int) size;
      return datum_equal (&datum, &info->issuer_keyid);
    }
  else
    {
      guint8 serial[128];
      size_t size = sizeof serial;
      gnutls_datum_t issuer = { NULL, 0 };
      gnutls_datum_t datum;
      gboolean same_issuer;

      if (gnutls_x509_crt_get_serial (crt, serial, &size) < 0 ||
          gnutls_x509_crt_get_raw_issuer_dn (crt, &issuer) < 0)
        return FALSE;
      same_issuer = datum_equal (&issuer, &info->issuer_dn);
      gnutls_free (issuer.data);
      datum.data = serial;
      datum.size = (unsigned int) size;
      return same_issuer && datum_equal (&datum, &info->signer_serial);
    }
}

/* The certificates the signature carries, without duplicates (one of the
 * Johnny mails carries Eve's certificate twice). */
static GPtrArray *
read_certificates (CachetSignedData *self)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func (crt_free);
  int count = gnutls_pkcs7_get_crt_count (self->pkcs7);

  for (int i = 0; i < MIN (count, MAX_CERTIFICATES); i++)
    {
      gnutls_datum_t raw = { NULL, 0 };
      gnutls_x509_crt_t crt = NULL;
      gboolean known = FALSE;

      if (gnutls_pkcs7_get_crt_raw2 (self->pkcs7, (unsigned int) i, &raw) < 0)
        continue;
      if (gnutls_x509_crt_init (&crt) >= 0 &&
          gnutls_x509_crt_import (crt, &raw, GNUTLS_X509_FMT_DER) >= 0)
        {
          for (guint j = 0; j < certificates->len && !known; j++)
            known = crt_equal (g_ptr_array_index (certificates, j), crt);
          if (!known)
            g_ptr_array_add (certificates, g_steal_pointer (&crt));
        }
      if (crt != NULL)
        gnutls_x509_crt_deinit (crt);
      gnutls_free (raw.data);
    }

  return g_steal_pointer (&certificates);
}

/* The signer then, as far as the signature carries them, its issuers. */
static GPtrArray *
build_chain (gnutls_x509_crt_t  signer,
             GPtrArray         *certificates)
{
  GPtrArray *chain = g_ptr_array_new ();
  gnutls_x509_crt_t current = signer;

  g_ptr_array_add (chain, signer);
  while (chain->len < MAX_CHAIN_LENGTH && !gnutls_x509_crt_check_issuer (current, current))
    {
      gnutls_x509_crt_t issuer = NULL;

      for (guint i = 0; i < certificates->len && issuer == NULL; i++)
        {
          gnutls_x509_crt_t candidate = g_ptr_array_index (certificates, i);
          gboolean in_chain = FALSE;

          for (guint j = 0; j < chain->len; j++)
            in_chain = in_chain || crt_equal (g_ptr_array_index (chain, j), candidate);
          if (!in_chain && gnutls_x509_crt_check_issuer (current, candidate))
            issuer = candidate;
        }
      if (issuer == NULL)
        break;
      g_ptr_array_add (chain, issuer);
      current = issuer;
    }

  return chain;
}

/* Records the path as the user should see it: @chain up to the first
 * certificate an anchor issued, then that anchor; or all of @chain when no
 * anchor vouches for any of it. A self-signed certificate trusted as such
 * is its own anchor. */
static void
report_path (GPtrArray                *chain,
             gnutls_x509_trust_list_t  anchors,
             CachetSecurityReport     *report)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean anchored = FALSE;

  for (guint i = 0; i < chain->len; i++)
    {
      gnutls_x509_crt_t crt = g_ptr_array_index (chain, i);
      gnutls_x509_crt_t issuer = NULL;
      CachetCertificate *certificate = cachet_certificate_new_from_crt (crt, NULL);
      CachetCertificate *anchor;

      if (certificate == NULL)
        break;
      g_ptr_array_add (path, certificate);
      /* A copy, as the system's anchors may live in a PKCS #11 module. */
      if (gnutls_x509_trust_list_get_issuer (anchors, crt, &issuer, GNUTLS_TL_GET_COPY) < 0)
        continue;
      if (crt_equal (issuer, crt))
        anchored = TRUE;
      else if ((anchor = cachet_certificate_new_from_crt (issuer, NULL)) != NULL)
        {
          g_ptr_array_add (path, anchor);
          anchored = TRUE;
        }
      gnutls_x509_crt_deinit (issuer);
      break;
    }

  cachet_security_report_set_chain (report, path, anchored);
}

static void
check_chain (gnutls_x509_crt_t         signer,
             GPtrArray                *certificates,
             gnutls_x509_trust_list_t  anchors,
             CachetSecurityReport     *report)
{
  g_autoptr(GPtrArray) chain = build_chain (signer, certificates);
  gnutls_typed_vdata_st purpose = {
    GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *) OID_EMAIL_PROTECTION, 0
  };
  unsigned int status = 0;
  unsigned int key_usage = 0;

  report_path (chain, anchors, report);
  if (gnutls_x509_trust_list_verify_crt2 (anchors, (gnutls_x509_crt_t *) chain->pdata, chain->len,
                                          &purpose, 1, 0, &status, NULL) < 0)
    status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND;

  if (status & GNUTLS_CERT_REVOKED)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_REVOKED, NULL);
  if (status & GNUTLS_CERT_EXPIRED)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_EXPIRED, NULL);
  if (status & GNUTLS_CERT_NOT_ACTIVATED)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_NOT_YET_VALID, NULL);
  if (status & GNUTLS_CERT_PURPOSE_MISMATCH)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_NOT_FOR_EMAIL, NULL);
  if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA |
                GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNTRUSTED, NULL);
  if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_INSECURE_ALGORITHM, NULL);
  if ((status & GNUTLS_CERT_INVALID) &&
      !(status & (GNUTLS_CERT_REVOKED | GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED |
                  GNUTLS_CERT_PURPOSE_MISMATCH | GNUTLS_CERT_SIGNER_NOT_FOUND |
                  GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE |
                  GNUTLS_CERT_INSECURE_ALGORITHM)))
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_CERTIFICATE_INVALID, NULL);

  /* RFC 8550 §4.4.2: a key usage, when present, must allow signing. */
  if (gnutls_x509_crt_get_key_usage (signer, &key_usage, NULL) >= 0 &&
      !(key_usage & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION)) &&
      !cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_NOT_FOR_EMAIL))
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_NOT_FOR_EMAIL, NULL);
}

/**
 * cachet_signed_data_check:
 * @detached_content: (nullable): for a detached signature, the canonical
 *   (CRLF) bytes of the displayed part; %NULL for an opaque signature
 * @anchors: the trusted authorities
 * @report: where the reasons go, and the signer and signing time once known
 *
 * Checks the signature, its signer and the signer's chain, adding to
 * @report a reason for each problem. A report without reasons means a valid
 * signature by a trusted certificate for e-mail; the sender is the caller's
 * to compare.
 */
void
cachet_signed_data_check (CachetSignedData         *self,
                          GBytes                   *detached_content,
                          gnutls_x509_trust_list_t  anchors,
                          CachetSecurityReport     *report)
{
  gnutls_pkcs7_signature_info_st info;
  gnutls_datum_t embedded = { NULL, 0 };
  gnutls_datum_t content = { NULL, 0 };
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(CachetCertificate) signer_certificate = NULL;
  gnutls_x509_crt_t signer = NULL;
  gboolean has_embedded;
  const char *attributes_problem;
  int count;
  int status;

  g_return_if_fail (self != NULL);
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (report));

  count = gnutls_pkcs7_get_signature_count (self->pkcs7);
  if (count <= 0)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_NO_SIGNER, NULL);
      return;
    }
  if (count > 1)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_MULTIPLE_SIGNERS, NULL);
      return;
    }

  has_embedded = gnutls_pkcs7_get_embedded_data (self->pkcs7, 0, &embedded) >= 0;
  gnutls_free (embedded.data);
  if (detached_content != NULL && has_embedded)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_EMBEDDED_CONTENT, NULL);
      return;
    }
  if (detached_content == NULL && !has_embedded)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_NO_CONTENT, NULL);
      return;
    }

  memset (&info, 0, sizeof info);
  status = gnutls_pkcs7_get_signature_info (self->pkcs7, 0, &info);
  if (status < 0)
    {
      g_autofree char *detail = g_strdup_printf (_("The signature cannot be read: %s"),
                                                 gnutls_strerror (status));

      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE, detail);
      return;
    }

  if ((attributes_problem = check_attributes (&info)) != NULL)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES,
                                       attributes_problem);

  certificates = read_certificates (self);
  for (guint i = 0; i < certificates->len; i++)
    {
      gnutls_x509_crt_t candidate = g_ptr_array_index (certificates, i);

      if (!is_signer (candidate, &info))
        continue;
      if (signer != NULL)
        {
          cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_SIGNER_AMBIGUOUS, NULL);
          gnutls_pkcs7_signature_info_deinit (&info);
          return;
        }
      signer = candidate;
    }

  if (info.signing_time != (time_t) -1 && info.signing_time != 0)
    {
      g_autoptr(GDateTime) signing_time = g_date_time_new_from_unix_utc ((gint64) info.signing_time);

      cachet_security_report_set_signing_time (report, signing_time);
    }
  gnutls_pkcs7_signature_info_deinit (&info);

  if (signer == NULL)
    {
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_SIGNER_UNKNOWN, NULL);
      return;
    }
  signer_certificate = cachet_certificate_new_from_crt (signer, NULL);
  cachet_security_report_set_signer (report, signer_certificate);

  if (detached_content != NULL)
    {
      gsize size = 0;

      content.data = (unsigned char *) g_bytes_get_data (detached_content, &size);
      content.size = (unsigned int) size;
    }
  /* Validity is the chain's to judge, below: here only the signature. GnuTLS
   * takes a signer given directly as trusted, hence both flags. */
  status = gnutls_pkcs7_verify_direct (self->pkcs7, signer, 0,
                                       detached_content != NULL ? &content : NULL,
                                       GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                       GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS);
  if (status == GNUTLS_E_INSUFFICIENT_SECURITY || status == GNUTLS_E_CONSTRAINT_ERROR)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_INSECURE_ALGORITHM, NULL);
  else if (status < 0)
    cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_BAD_SIGNATURE, NULL);

  check_chain (signer, certificates, anchors, report);
}

/**
 * cachet_signed_data_sign:
 * @identity: who signs
 * @content: the canonical (CRLF) bytes to sign
 * @detached: %TRUE for a detached signature (multipart/signed), %FALSE to
 *   embed @content (opaque application/pkcs7-mime)
 * @error: return location for a #GError
 *
 * Signs with SHA-256; the signed attributes are the content type, the
 * message digest, the signing time and the S/MIME capabilities, and the
 * signer's chain goes with the signature.
 *
 * Returns: (transfer full) (nullable): the DER of the ContentInfo, or %NULL
 *   with %CACHET_SMIME_ERROR_SIGN_FAILED
 */
GBytes *
cachet_signed_data_sign (CachetSmimeIdentity  *identity,
                         GBytes               *content,
                         gboolean              detached,
                         GError              **error)
{
  gnutls_pkcs7_t pkcs7 = NULL;
  gnutls_pkcs7_attrs_t signed_attributes = NULL;
  gnutls_datum_t capabilities = { (unsigned char *) smime_capabilities, sizeof smime_capabilities };
  gnutls_datum_t data;
  gnutls_datum_t der = { NULL, 0 };
  gnutls_x509_crt_t *chain;
  guint chain_length = 0;
  gsize size = 0;
  unsigned int flags = GNUTLS_PKCS7_INCLUDE_TIME | GNUTLS_PKCS7_INCLUDE_CERT;
  GBytes *signature = NULL;
  int status;

  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (identity), NULL);
  g_return_val_if_fail (content != NULL, NULL);

  data.data = (unsigned char *) g_bytes_get_data (content, &size);
  data.size = (unsigned int) size;
  if (!detached)
    flags |= GNUTLS_PKCS7_EMBED_DATA;
  chain = cachet_smime_identity_get_chain (identity, &chain_length);

  status = size <= CACHET_SIGNED_DATA_MAX_SIZE ? gnutls_pkcs7_init (&pkcs7) : GNUTLS_E_MEMORY_ERROR;
  if (status >= 0)
    status = gnutls_pkcs7_add_attr (&signed_attributes, OID_SMIME_CAPABILITIES, &capabilities, 0);
  if (status >= 0)
    status = gnutls_pkcs7_sign (pkcs7, chain[0], cachet_smime_identity_get_private_key (identity),
                                &data, signed_attributes, NULL, GNUTLS_DIG_SHA256, flags);
  for (guint i = 1; status >= 0 && i < chain_length; i++)
    status = gnutls_pkcs7_set_crt (pkcs7, chain[i]);
  if (status >= 0)
    status = gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &der);

  if (status >= 0)
    signature = g_bytes_new (der.data, der.size);
  else
    g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_SIGN_FAILED,
                 _("The message could not be signed: %s. Check that the smart card is "
                   "connected, or choose another certificate."),
                 gnutls_strerror (status));

  gnutls_free (der.data);
  gnutls_pkcs7_attrs_deinit (signed_attributes);
  if (pkcs7 != NULL)
    gnutls_pkcs7_deinit (pkcs7);

  return signature;
}
