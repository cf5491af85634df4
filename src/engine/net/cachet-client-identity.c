/* cachet-client-identity.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <string.h>

#include "cachet-client-identity.h"
#include "cachet-net-error.h"

/* Client identities for mutual TLS: an MSSanté applicative mailbox signs in
 * with an IGC-Santé organisation certificate (a PKCS #12 file), a
 * professional with the CPS card (a PKCS #11 token). Both end up as a
 * #GTlsCertificate with its private key, given to a #CachetConnection.
 *
 * Messages name the file but never the passphrase, and never a PKCS #11 URI,
 * which may carry a PIN in its pin-value attribute. */

/* The PEM of @key (PKCS #8, unencrypted) followed by the PEM of each
 * certificate of @chain, leaf first: what g_tls_certificate_new_from_pem()
 * takes. Built in one allocation, since it holds the key in clear. */
static char *
identity_to_pem (gnutls_x509_privkey_t  key,
                 gnutls_x509_crt_t     *chain,
                 unsigned int           chain_length,
                 gsize                 *length)
{
  g_autofree gnutls_datum_t *parts = g_new0 (gnutls_datum_t, chain_length + 1);
  char *pem = NULL;
  int status;

  status = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                              &parts[0]);
  for (unsigned int i = 0; status >= 0 && i < chain_length; i++)
    status = gnutls_x509_crt_export2 (chain[i], GNUTLS_X509_FMT_PEM, &parts[i + 1]);

  if (status >= 0)
    {
      gsize total = 0;

      for (unsigned int i = 0; i <= chain_length; i++)
        total += parts[i].size;
      pem = g_malloc (total + 1);
      *length = 0;
      for (unsigned int i = 0; i <= chain_length; i++)
        {
          memcpy (pem + *length, parts[i].data, parts[i].size);
          *length += parts[i].size;
        }
      pem[total] = '\0';
    }

  if (parts[0].data != NULL)
    explicit_bzero (parts[0].data, parts[0].size);
  for (unsigned int i = 0; i <= chain_length; i++)
    gnutls_free (parts[i].data);

  return pem;
}

/* Parsed here with GnuTLS rather than by g_tls_certificate_new_from_pkcs12():
 * that one reports a file without a private key as a damaged file, and
 * glib-networking 2.74 leaks a certificate on every call. */
static GTlsCertificate *
load_pkcs12 (const char    *path,
             const guint8  *data,
             gsize          size,
             const char    *passphrase,
             GError       **error)
{
  gnutls_datum_t datum = { (unsigned char *) data, (unsigned int) size };
  gnutls_pkcs12_t p12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_length = 0;
  GTlsCertificate *certificate = NULL;
  g_autoptr(GError) local_error = NULL;
  char *pem;
  gsize pem_length = 0;
  int status;

  if (size > G_MAXUINT ||
      gnutls_pkcs12_init (&p12) < 0 ||
      gnutls_pkcs12_import (p12, &datum, GNUTLS_X509_FMT_DER, 0) < 0)
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE,
                   _("The file “%s” is not a PKCS #12 certificate file (.p12 or .pfx)."), path);
      goto out;
    }

  /* A file without a MAC has nothing to verify; decryption then tells. */
  status = gnutls_pkcs12_verify_mac (p12, passphrase);
  if (status != GNUTLS_E_MAC_VERIFY_FAILED)
    status = gnutls_pkcs12_simple_parse (p12, passphrase, &key, &chain, &chain_length,
                                         NULL, NULL, NULL, 0);
  if (status == GNUTLS_E_MAC_VERIFY_FAILED || status == GNUTLS_E_DECRYPTION_FAILED)
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE,
                   _("The passphrase of the certificate file “%s” is wrong."), path);
      goto out;
    }
  if (status == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE ||
      (status >= 0 && (key == NULL || chain_length == 0)))
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_NO_PRIVATE_KEY,
                   _("The certificate file “%s” holds no certificate with its private key. "
                     "Export the certificate again, including its private key."),
                   path);
      goto out;
    }
  if (status < 0)
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE,
                   _("The certificate file “%s” cannot be used: %s"), path,
                   gnutls_strerror (status));
      goto out;
    }

  pem = identity_to_pem (key, chain, chain_length, &pem_length);
  if (pem != NULL)
    {
      certificate = g_tls_certificate_new_from_pem (pem, (gssize) pem_length, &local_error);
      explicit_bzero (pem, pem_length);
      g_free (pem);
    }
  if (certificate == NULL)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE,
                 _("The certificate file “%s” cannot be used: %s"), path,
                 local_error != NULL ? local_error->message
                                     : gnutls_strerror (GNUTLS_E_MEMORY_ERROR));

out:
  for (unsigned int i = 0; i < chain_length; i++)
    gnutls_x509_crt_deinit (chain[i]);
  gnutls_free (chain);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (p12 != NULL)
    gnutls_pkcs12_deinit (p12);

  return certificate;
}

/**
 * cachet_client_identity_load_pkcs12:
 * @path: a PKCS #12 (`.p12`, `.pfx`) file holding a certificate and its
 *   private key, optionally with the chain of authorities that issued it
 * @passphrase: (nullable): the file's passphrase, %NULL or "" if it has none
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the certificate with its private key
 *   and chain, or %NULL with %CACHET_NET_ERROR_IDENTITY_UNREADABLE,
 *   %CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE or
 *   %CACHET_NET_ERROR_IDENTITY_NO_PRIVATE_KEY
 */
GTlsCertificate *
cachet_client_identity_load_pkcs12 (const char  *path,
                                    const char  *passphrase,
                                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  GTlsCertificate *certificate;
  gsize size = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &size, &local_error))
    {
      g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE,
                   _("The certificate file “%s” cannot be read: %s"), path, local_error->message);
      return NULL;
    }

  certificate = load_pkcs12 (path, (const guint8 *) data, size,
                             passphrase != NULL ? passphrase : "", error);
  /* The file holds the private key, encrypted: no copy lingers. */
  explicit_bzero (data, size);

  return certificate;
}

/**
 * cachet_client_identity_load_pkcs11:
 * @certificate_uri: the PKCS #11 URI (RFC 7512) of the certificate on a smart
 *   card or token
 * @private_key_uri: (nullable): the URI of its private key, if it cannot be
 *   found from @certificate_uri
 * @error: return location for a #GError
 *
 * The token's PIN is asked for during the TLS handshake, through the
 * connection's #GTlsInteraction.
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL with
 *   %CACHET_NET_ERROR_IDENTITY_UNREADABLE
 */
GTlsCertificate *
cachet_client_identity_load_pkcs11 (const char  *certificate_uri,
                                    const char  *private_key_uri,
                                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;

  g_return_val_if_fail (certificate_uri != NULL, NULL);

  certificate = g_tls_certificate_new_from_pkcs11_uris (certificate_uri, private_key_uri,
                                                        &local_error);
  if (certificate == NULL)
    g_set_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE,
                 _("The certificate was not found on the smart card or security token. "
                   "Check that it is connected (%s)."),
                 local_error->message);

  return certificate;
}
