/* cachet-smime-identity.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs11.h>
#include <string.h>

#include "cachet-client-identity.h"
#include "cachet-smime-error.h"
#include "cachet-smime-identity.h"

/* The certificate and private key that sign outgoing mail: a PKCS #12 file
 * (an IGC-Santé software certificate) or an object on a PKCS #11 token (the
 * CPS card, through p11-kit). PKCS #12 files are opened by the same code as
 * TLS client identities, so both report the same errors; the private key is
 * then held by GnuTLS, which signs with it (or asks the token to). */

#define MAX_CHAIN_LENGTH 16

struct _CachetSmimeIdentity
{
  GObject parent_instance;

  gnutls_privkey_t key;
  /* Leaf first, then the authorities that came with it. */
  GPtrArray *chain;
  CachetCertificate *certificate;
};

G_DEFINE_FINAL_TYPE (CachetSmimeIdentity, cachet_smime_identity, G_TYPE_OBJECT)

static void
crt_free (gpointer crt)
{
  gnutls_x509_crt_deinit (crt);
}

static void
cachet_smime_identity_finalize (GObject *object)
{
  CachetSmimeIdentity *self = CACHET_SMIME_IDENTITY (object);

  g_clear_pointer (&self->key, gnutls_privkey_deinit);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (cachet_smime_identity_parent_class)->finalize (object);
}

static void
cachet_smime_identity_class_init (CachetSmimeIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_smime_identity_finalize;
}

static void
cachet_smime_identity_init (CachetSmimeIdentity *self)
{
  self->chain = g_ptr_array_new_with_free_func (crt_free);
}

static gboolean
add_pem_certificate (CachetSmimeIdentity *self,
                     const char          *pem)
{
  gnutls_datum_t datum = { (unsigned char *) pem, (unsigned int) strlen (pem) };
  gnutls_x509_crt_t crt = NULL;

  if (gnutls_x509_crt_init (&crt) < 0)
    return FALSE;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM) < 0)
    {
      gnutls_x509_crt_deinit (crt);
      return FALSE;
    }
  g_ptr_array_add (self->chain, crt);
  return TRUE;
}

static gboolean
finish_loading (CachetSmimeIdentity  *self,
                GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  self->certificate = cachet_certificate_new_from_crt (g_ptr_array_index (self->chain, 0),
                                                       &local_error);
  if (self->certificate == NULL)
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
                   _("The signing certificate cannot be used: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_smime_identity_load_pkcs12:
 * @path: a PKCS #12 file with the signing certificate and its private key
 * @passphrase: (nullable): its passphrase
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL with the
 *   %CACHET_NET_ERROR of cachet_client_identity_load_pkcs12() (unreadable
 *   file, wrong passphrase, no private key)
 */
CachetSmimeIdentity *
cachet_smime_identity_load_pkcs12 (const char  *path,
                                   const char  *passphrase,
                                   GError     **error)
{
  g_autoptr(CachetSmimeIdentity) self = NULL;
  g_autoptr(GTlsCertificate) tls_certificate = NULL;
  g_autofree char *key_pem = NULL;
  gnutls_x509_privkey_t x509_key = NULL;
  gnutls_datum_t datum;
  int status;

  g_return_val_if_fail (path != NULL, NULL);

  tls_certificate = cachet_client_identity_load_pkcs12 (path, passphrase, error);
  if (tls_certificate == NULL)
    return NULL;

  self = g_object_new (CACHET_TYPE_SMIME_IDENTITY, NULL);
  for (GTlsCertificate *link = tls_certificate;
       link != NULL && self->chain->len < MAX_CHAIN_LENGTH;
       link = g_tls_certificate_get_issuer (link))
    {
      g_autofree char *pem = NULL;

      g_object_get (link, "certificate-pem", &pem, NULL);
      if (pem == NULL || !add_pem_certificate (self, pem))
        break;
    }

  g_object_get (tls_certificate, "private-key-pem", &key_pem, NULL);
  if (self->chain->len == 0 || key_pem == NULL)
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_NO_PRIVATE_KEY,
                   _("The certificate file “%s” holds no certificate with its private key. "
                     "Export the certificate again, including its private key."), path);
      return NULL;
    }

  datum.data = (unsigned char *) key_pem;
  datum.size = (unsigned int) strlen (key_pem);
  status = gnutls_x509_privkey_init (&x509_key);
  if (status >= 0)
    status = gnutls_x509_privkey_import (x509_key, &datum, GNUTLS_X509_FMT_PEM);
  if (status >= 0)
    status = gnutls_privkey_init (&self->key);
  if (status >= 0)
    status = gnutls_privkey_import_x509 (self->key, x509_key, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
  if (status >= 0)
    x509_key = NULL;
  explicit_bzero (key_pem, strlen (key_pem));
  if (x509_key != NULL)
    gnutls_x509_privkey_deinit (x509_key);
  if (status < 0)
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
                   _("The private key of “%s” cannot be used: %s"), path, gnutls_strerror (status));
      return NULL;
    }

  if (!finish_loading (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* @uri with its type attribute replaced by @type: the user names the object
 * once, and the certificate and the key share their label and id. */
static char *
uri_for_type (const char *uri,
              const char *type)
{
  g_auto(GStrv) attributes = g_strsplit (uri + strlen ("pkcs11:"), ";", -1);
  g_autoptr(GString) result = g_string_new ("pkcs11:");

  for (guint i = 0; attributes[i] != NULL; i++)
    {
      if (*attributes[i] == '\0' || g_str_has_prefix (attributes[i], "type="))
        continue;
      g_string_append (result, attributes[i]);
      g_string_append_c (result, ';');
    }
  g_string_append_printf (result, "type=%s", type);

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* The authorities above the card's certificate, as far as the token holds
 * them (CPS cards carry their intermediate CA), without the root: the
 * recipient must trust it already, as with a PKCS #12 file. */
static void
add_token_issuers (CachetSmimeIdentity *self,
                   const char          *certificate_uri)
{
  while (self->chain->len < MAX_CHAIN_LENGTH)
    {
      gnutls_x509_crt_t current = g_ptr_array_index (self->chain, self->chain->len - 1);
      gnutls_datum_t der = { NULL, 0 };
      gnutls_x509_crt_t issuer = NULL;
      gboolean usable;

      if (gnutls_x509_crt_check_issuer (current, current) ||
          gnutls_pkcs11_get_raw_issuer (certificate_uri, current, &der, GNUTLS_X509_FMT_DER,
                                        GNUTLS_PKCS11_OBJ_FLAG_RETRIEVE_ANY) < 0)
        return;
      usable = gnutls_x509_crt_init (&issuer) >= 0 &&
               gnutls_x509_crt_import (issuer, &der, GNUTLS_X509_FMT_DER) >= 0 &&
               !gnutls_x509_crt_check_issuer (issuer, issuer);
      gnutls_free (der.data);
      if (!usable)
        {
          if (issuer != NULL)
            gnutls_x509_crt_deinit (issuer);
          return;
        }
      g_ptr_array_add (self->chain, issuer);
    }
}

/**
 * cachet_smime_identity_load_pkcs11:
 * @uri: a PKCS #11 URI (RFC 7512) naming the certificate and its key on a
 *   token, e.g. `pkcs11:token=CPS;object=Signature`; the PIN is given in
 *   the URI (`pin-source=` or `pin-value=`) or asked by the token's reader
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL with
 *   %CACHET_SMIME_ERROR_IDENTITY_UNREADABLE
 */
CachetSmimeIdentity *
cachet_smime_identity_load_pkcs11 (const char  *uri,
                                   GError     **error)
{
  g_autoptr(CachetSmimeIdentity) self = NULL;
  g_autofree char *certificate_uri = NULL;
  g_autofree char *key_uri = NULL;
  gnutls_x509_crt_t crt = NULL;
  int status;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!g_str_has_prefix (uri, "pkcs11:"))
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
                           _("A smart card identity is a PKCS #11 URI starting with “pkcs11:”."));
      return NULL;
    }

  self = g_object_new (CACHET_TYPE_SMIME_IDENTITY, NULL);
  certificate_uri = uri_for_type (uri, "cert");
  key_uri = uri_for_type (uri, "private");

  status = gnutls_x509_crt_init (&crt);
  if (status >= 0)
    status = gnutls_x509_crt_import_url (crt, certificate_uri, GNUTLS_PKCS11_OBJ_FLAG_LOGIN);
  if (status >= 0)
    g_ptr_array_add (self->chain, g_steal_pointer (&crt));
  else if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (status >= 0)
    status = gnutls_privkey_init (&self->key);
  if (status >= 0)
    status = gnutls_privkey_import_url (self->key, key_uri, 0);
  if (status < 0)
    {
      /* Never the URI itself: it may carry the PIN. */
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE,
                   _("The certificate and its key were not found on the smart card or "
                     "security token. Check that it is connected (%s)."),
                   gnutls_strerror (status));
      return NULL;
    }

  add_token_issuers (self, certificate_uri);
  if (!finish_loading (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

typedef struct
{
  char *identity;
  char *passphrase;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->identity);
  if (data->passphrase != NULL)
    explicit_bzero (data->passphrase, strlen (data->passphrase));
  g_free (data->passphrase);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  CachetSmimeIdentity *identity;

  if (g_str_has_prefix (data->identity, "pkcs11:"))
    identity = cachet_smime_identity_load_pkcs11 (data->identity, &error);
  else
    identity = cachet_smime_identity_load_pkcs12 (data->identity, data->passphrase, &error);

  if (identity != NULL)
    g_task_return_pointer (task, identity, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
passphrase_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->passphrase = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source),
                                                                result, &error);
  /* No passphrase stored: the file may have none. A wrong one is reported
   * by the loader, which is what the user needs to hear. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, load_thread);
}

/**
 * cachet_smime_identity_load_async:
 * @identity: a PKCS #12 file path, or a PKCS #11 URI (`pkcs11:…`)
 * @credentials: (nullable): where the passphrase of a PKCS #12 file is kept
 * @account_id: (nullable): the account whose
 *   %CACHET_SECRET_CERTIFICATE_PASSPHRASE opens the file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the identity is loaded
 * @user_data: data for @callback
 *
 * Loads an identity off the main thread: opening a PKCS #12 file costs a
 * key derivation, a token may be slow.
 */
void
cachet_smime_identity_load_async (const char                *identity,
                                  CachetCredentialsProvider *credentials,
                                  const char                *account_id,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  g_return_if_fail (identity != NULL);
  g_return_if_fail (credentials == NULL || CACHET_IS_CREDENTIALS_PROVIDER (credentials));

  g_task_set_source_tag (task, cachet_smime_identity_load_async);
  data->identity = g_strdup (identity);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (credentials != NULL && account_id != NULL && !g_str_has_prefix (identity, "pkcs11:"))
    cachet_credentials_provider_lookup_async (credentials, account_id,
                                              CACHET_SECRET_CERTIFICATE_PASSPHRASE,
                                              cancellable, passphrase_cb,
                                              g_steal_pointer (&task));
  else
    g_task_run_in_thread (task, load_thread);
}

CachetSmimeIdentity *
cachet_smime_identity_load_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_smime_identity_get_certificate:
 *
 * Returns: (transfer none): the signing certificate
 */
CachetCertificate *
cachet_smime_identity_get_certificate (CachetSmimeIdentity *self)
{
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (self), NULL);
  return self->certificate;
}

/**
 * cachet_smime_identity_get_private_key:
 *
 * Returns: (transfer none): the key that signs, owned by the identity
 */
gnutls_privkey_t
cachet_smime_identity_get_private_key (CachetSmimeIdentity *self)
{
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (self), NULL);
  return self->key;
}

/**
 * cachet_smime_identity_get_chain:
 * @length: (out): the number of certificates
 *
 * Returns: (transfer none) (array length=length): the signing certificate
 *   then the authorities that came with it
 */
gnutls_x509_crt_t *
cachet_smime_identity_get_chain (CachetSmimeIdentity *self,
                                 guint               *length)
{
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (self), NULL);

  *length = self->chain->len;
  return (gnutls_x509_crt_t *) self->chain->pdata;
}
