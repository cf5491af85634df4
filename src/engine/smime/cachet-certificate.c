/* cachet-certificate.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "cachet-certificate.h"
#include "cachet-smime-error.h"

/* An X.509 certificate as the S/MIME layer shows it: the fields the user
 * needs to recognise a correspondent, read once from the DER. */

#define EMAIL_ADDRESS_OID "1.2.840.113549.1.9.1"
/* Bounds on what an untrusted certificate can make us collect. */
#define MAX_ALT_NAMES 64

struct _CachetCertificate
{
  GObject parent_instance;

  GBytes *der;
  char *subject;
  char *issuer;
  GStrv email_addresses;
  GDateTime *not_before;
  GDateTime *not_after;
  char *fingerprint;
};

G_DEFINE_FINAL_TYPE (CachetCertificate, cachet_certificate, G_TYPE_OBJECT)

static void
cachet_certificate_finalize (GObject *object)
{
  CachetCertificate *self = CACHET_CERTIFICATE (object);

  g_clear_pointer (&self->der, g_bytes_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->email_addresses, g_strfreev);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (cachet_certificate_parent_class)->finalize (object);
}

static void
cachet_certificate_class_init (CachetCertificateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_certificate_finalize;
}

static void
cachet_certificate_init (CachetCertificate *self)
{
}

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *text = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  return text;
}

/* Addresses compare on their addr-spec, without case: the domain is case
 * insensitive and no MSSanté operator distinguishes the local part by case. */
static void
add_address (GPtrArray  *addresses,
             const char *address,
             gsize       length)
{
  g_autofree char *folded = g_ascii_strdown (address, (gssize) length);

  if (!g_utf8_validate (folded, -1, NULL) || strchr (folded, '@') == NULL)
    return;
  for (guint i = 0; i < addresses->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (addresses, i), folded))
        return;
    }
  g_ptr_array_add (addresses, g_steal_pointer (&folded));
}

/* RFC 8550 §3: the rfc822Name entries of subjectAltName, and only without
 * them the emailAddress attribute of the subject. */
static GStrv
read_email_addresses (gnutls_x509_crt_t crt)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);

  for (unsigned int i = 0; i < MAX_ALT_NAMES; i++)
    {
      char name[1024];
      size_t size = sizeof name;
      int type = gnutls_x509_crt_get_subject_alt_name (crt, i, name, &size, NULL);

      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type == GNUTLS_SAN_RFC822NAME)
        add_address (addresses, name, size);
    }

  for (unsigned int i = 0; addresses->len == 0 && i < MAX_ALT_NAMES; i++)
    {
      char name[1024];
      size_t size = sizeof name;

      if (gnutls_x509_crt_get_dn_by_oid (crt, EMAIL_ADDRESS_OID, i, 0, name, &size) < 0)
        break;
      add_address (addresses, name, size);
    }

  g_ptr_array_add (addresses, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&addresses), FALSE);
}

/**
 * cachet_certificate_new_from_crt:
 * @crt: a certificate, which is not kept
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL with
 *   %CACHET_SMIME_ERROR_CERTIFICATE_INVALID
 */
CachetCertificate *
cachet_certificate_new_from_crt (gnutls_x509_crt_t   crt,
                                 GError            **error)
{
  g_autoptr(CachetCertificate) self = g_object_new (CACHET_TYPE_CERTIFICATE, NULL);
  gnutls_datum_t datum = { NULL, 0 };
  guint8 digest[32];
  size_t digest_size = sizeof digest;
  time_t not_before;
  time_t not_after;

  if (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &datum) < 0)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                           _("The certificate cannot be read."));
      return NULL;
    }
  self->der = g_bytes_new (datum.data, datum.size);
  gnutls_free (datum.data);

  if (gnutls_x509_crt_get_dn3 (crt, &datum, 0) >= 0)
    self->subject = datum_to_string (&datum);
  else
    self->subject = g_strdup ("");
  if (gnutls_x509_crt_get_issuer_dn3 (crt, &datum, 0) >= 0)
    self->issuer = datum_to_string (&datum);
  else
    self->issuer = g_strdup ("");

  self->email_addresses = read_email_addresses (crt);

  not_before = gnutls_x509_crt_get_activation_time (crt);
  not_after = gnutls_x509_crt_get_expiration_time (crt);
  if (not_before == (time_t) -1 || not_after == (time_t) -1 ||
      gnutls_x509_crt_get_fingerprint (crt, GNUTLS_DIG_SHA256, digest, &digest_size) < 0)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                           _("The certificate has no valid validity period."));
      return NULL;
    }
  self->not_before = g_date_time_new_from_unix_utc ((gint64) not_before);
  self->not_after = g_date_time_new_from_unix_utc ((gint64) not_after);
  if (self->not_before == NULL || self->not_after == NULL)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                           _("The certificate has no valid validity period."));
      return NULL;
    }

  self->fingerprint = g_malloc (digest_size * 2 + 1);
  for (gsize i = 0; i < digest_size; i++)
    g_snprintf (self->fingerprint + 2 * i, 3, "%02x", digest[i]);

  return g_steal_pointer (&self);
}

/**
 * cachet_certificate_new_from_der:
 * @der: a DER-encoded X.509 certificate
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL with
 *   %CACHET_SMIME_ERROR_CERTIFICATE_INVALID
 */
CachetCertificate *
cachet_certificate_new_from_der (GBytes  *der,
                                 GError **error)
{
  gnutls_x509_crt_t crt = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (der, &size);
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) size };
  CachetCertificate *self = NULL;

  if (size <= G_MAXUINT && gnutls_x509_crt_init (&crt) >= 0 &&
      gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) >= 0)
    self = cachet_certificate_new_from_crt (crt, error);
  else
    g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                         _("The data is not an X.509 certificate."));
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);

  return self;
}

GBytes *
cachet_certificate_get_der (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return self->der;
}

/* The subject's distinguished name, RFC 4514. */
const char *
cachet_certificate_get_subject (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return self->subject;
}

const char *
cachet_certificate_get_issuer (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return self->issuer;
}

/**
 * cachet_certificate_get_email_addresses:
 *
 * Returns: (transfer none): the addresses the certificate is for, lower
 *   case, possibly none
 */
const char * const *
cachet_certificate_get_email_addresses (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return (const char * const *) self->email_addresses;
}

GDateTime *
cachet_certificate_get_not_before (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return self->not_before;
}

GDateTime *
cachet_certificate_get_not_after (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return self->not_after;
}

/* SHA-256 of the DER, lower-case hex: how the store names the certificate. */
const char *
cachet_certificate_get_fingerprint (CachetCertificate *self)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);
  return self->fingerprint;
}

gboolean
cachet_certificate_has_email_address (CachetCertificate *self,
                                      const char        *address)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  folded = g_ascii_strdown (address, -1);
  return g_strv_contains ((const char * const *) self->email_addresses, folded);
}

gboolean
cachet_certificate_is_expired (CachetCertificate *self,
                               GDateTime         *now)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), TRUE);
  return g_date_time_compare (now, self->not_after) > 0;
}

/**
 * cachet_certificate_to_crt:
 *
 * Returns: (transfer full) (nullable): a GnuTLS copy of the certificate, to
 *   free with gnutls_x509_crt_deinit()
 */
gnutls_x509_crt_t
cachet_certificate_to_crt (CachetCertificate *self)
{
  gsize size = 0;
  const guint8 *data;
  gnutls_datum_t datum;
  gnutls_x509_crt_t crt = NULL;

  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);

  data = g_bytes_get_data (self->der, &size);
  datum.data = (unsigned char *) data;
  datum.size = (unsigned int) size;
  if (gnutls_x509_crt_init (&crt) < 0)
    return NULL;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      return NULL;
    }
  return crt;
}

char *
cachet_certificate_to_pem (CachetCertificate *self)
{
  g_autofree char *base64 = NULL;
  g_autoptr(GString) pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
  gsize length;

  g_return_val_if_fail (CACHET_IS_CERTIFICATE (self), NULL);

  base64 = g_base64_encode (g_bytes_get_data (self->der, NULL), g_bytes_get_size (self->der));
  length = strlen (base64);
  for (gsize i = 0; i < length; i += 64)
    {
      g_string_append_len (pem, base64 + i, (gssize) MIN (64, length - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");

  return g_string_free (g_steal_pointer (&pem), FALSE);
}
