/* cachet-certificate-store.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>

#include "cachet-certificate-store.h"
#include "cachet-paths.h"
#include "cachet-smime-error.h"

/* Certificates kept on this computer, one PEM file per certificate named by
 * its SHA-256 fingerprint: correspondents/ holds the certificates of people
 * we may write to (collected from validly signed mail or imported by the
 * user), anchors/ the authorities the user trusts for S/MIME on top of the
 * system's. The two never mix: importing a correspondent's certificate never
 * makes anything trusted. Files keep the store readable and repairable by
 * hand, and the store stays small (one file per correspondent). */

/* An import holds a few certificates; anything larger is not one. */
#define MAX_IMPORT_SIZE (1024 * 1024)
#define MAX_IMPORT_CERTIFICATES 64

struct _CachetCertificateStore
{
  GObject parent_instance;

  char *correspondents_dir;
  char *anchors_dir;
  gboolean use_system_anchors;
};

G_DEFINE_FINAL_TYPE (CachetCertificateStore, cachet_certificate_store, G_TYPE_OBJECT)

static void
cachet_certificate_store_finalize (GObject *object)
{
  CachetCertificateStore *self = CACHET_CERTIFICATE_STORE (object);

  g_clear_pointer (&self->correspondents_dir, g_free);
  g_clear_pointer (&self->anchors_dir, g_free);

  G_OBJECT_CLASS (cachet_certificate_store_parent_class)->finalize (object);
}

static void
cachet_certificate_store_class_init (CachetCertificateStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_certificate_store_finalize;
}

static void
cachet_certificate_store_init (CachetCertificateStore *self)
{
  self->use_system_anchors = TRUE;
}

/**
 * cachet_certificate_store_new:
 * @directory: (nullable): where to keep the certificates; %NULL for
 *   `smime/` in Cachet's data folder
 *
 * Returns: (transfer full): the store; nothing is read or created yet
 */
CachetCertificateStore *
cachet_certificate_store_new (const char *directory)
{
  CachetCertificateStore *self = g_object_new (CACHET_TYPE_CERTIFICATE_STORE, NULL);
  g_autofree char *base = directory != NULL ? g_strdup (directory)
                                            : g_build_filename (cachet_paths_get_data_dir (),
                                                                "smime", NULL);

  self->correspondents_dir = g_build_filename (base, "correspondents", NULL);
  self->anchors_dir = g_build_filename (base, "anchors", NULL);

  return self;
}

/**
 * cachet_certificate_store_set_use_system_anchors:
 *
 * Whether the system's authorities are trusted for S/MIME besides the
 * anchors added to the store (the default). An MSSanté deployment trusts the
 * IGC-Santé only: it turns this off and adds the IGC-Santé as an anchor.
 */
void
cachet_certificate_store_set_use_system_anchors (CachetCertificateStore *self,
                                                 gboolean                use_system_anchors)
{
  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (self));
  self->use_system_anchors = use_system_anchors;
}

/**
 * cachet_certificates_from_data:
 * @data: PEM (one or more certificates) or DER (one certificate)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetCertificate): at least one
 *   certificate, or %NULL with %CACHET_SMIME_ERROR_CERTIFICATE_INVALID
 */
GPtrArray *
cachet_certificates_from_data (GBytes  *data,
                               GError **error)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func (g_object_unref);
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (data, &size);
  gnutls_datum_t datum = { (unsigned char *) bytes, (unsigned int) size };
  gnutls_x509_crt_t *list = NULL;
  unsigned int n_list = 0;
  int status = GNUTLS_E_PARSING_ERROR;

  if (size > 0 && size <= MAX_IMPORT_SIZE)
    {
      status = gnutls_x509_crt_list_import2 (&list, &n_list, &datum, GNUTLS_X509_FMT_PEM, 0);
      if (status < 0)
        status = gnutls_x509_crt_list_import2 (&list, &n_list, &datum, GNUTLS_X509_FMT_DER, 0);
    }

  for (unsigned int i = 0; status >= 0 && i < n_list; i++)
    {
      CachetCertificate *certificate = NULL;

      if (i < MAX_IMPORT_CERTIFICATES)
        certificate = cachet_certificate_new_from_crt (list[i], NULL);
      if (certificate != NULL)
        g_ptr_array_add (certificates, certificate);
    }
  for (unsigned int i = 0; i < n_list; i++)
    gnutls_x509_crt_deinit (list[i]);
  gnutls_free (list);

  if (certificates->len == 0)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                           _("The file holds no certificate. Choose a certificate file "
                             "(.pem, .crt or .cer)."));
      return NULL;
    }
  return g_steal_pointer (&certificates);
}

static GPtrArray *
read_certificate_file (const char  *path,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &local_error);
  g_autoptr(GBytes) data = NULL;

  if (file == NULL)
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID,
                   _("The certificate file “%s” cannot be read: %s"), path, local_error->message);
      return NULL;
    }
  data = g_mapped_file_get_bytes (file);
  return cachet_certificates_from_data (data, error);
}

static gboolean
write_certificate (const char         *directory,
                   CachetCertificate  *certificate,
                   GError            **error)
{
  g_autofree char *name = g_strconcat (cachet_certificate_get_fingerprint (certificate), ".pem", NULL);
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autofree char *pem = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  pem = cachet_certificate_to_pem (certificate);
  if (g_mkdir_with_parents (directory, 0700) != 0 ||
      !g_file_set_contents_full (path, pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_STORE,
                   _("The certificate cannot be saved in “%s”: %s"), directory,
                   local_error != NULL ? local_error->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* Every readable certificate of @directory; a damaged file is skipped so that
 * one bad file does not hide the others. */
static GPtrArray *
list_directory (const char  *directory,
                GError     **error)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (directory, 0, &local_error);
  const char *name;

  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&certificates);
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_STORE,
                   _("The certificate store “%s” cannot be read: %s"), directory,
                   local_error->message);
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GPtrArray) found = NULL;

      if (!g_str_has_suffix (name, ".pem"))
        continue;
      path = g_build_filename (directory, name, NULL);
      found = read_certificate_file (path, NULL);
      if (found != NULL)
        g_ptr_array_extend_and_steal (certificates, g_steal_pointer (&found));
    }

  return g_steal_pointer (&certificates);
}

/**
 * cachet_certificate_store_add_correspondent:
 *
 * Keeps @certificate for its addresses. A certificate already kept is left
 * as is; a new certificate for a known address is kept beside the old one,
 * never in its place.
 */
gboolean
cachet_certificate_store_add_correspondent (CachetCertificateStore  *self,
                                            CachetCertificate       *certificate,
                                            GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), FALSE);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (certificate), FALSE);

  return write_certificate (self->correspondents_dir, certificate, error);
}

gboolean
cachet_certificate_store_add_anchor (CachetCertificateStore  *self,
                                     CachetCertificate       *certificate,
                                     GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), FALSE);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (certificate), FALSE);

  return write_certificate (self->anchors_dir, certificate, error);
}

static GPtrArray *
add_file (CachetCertificateStore  *self,
          const char              *path,
          gboolean                 as_anchors,
          GError                 **error)
{
  g_autoptr(GPtrArray) certificates = read_certificate_file (path, error);

  if (certificates == NULL)
    return NULL;
  for (guint i = 0; i < certificates->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (certificates, i);

      if (!write_certificate (as_anchors ? self->anchors_dir : self->correspondents_dir,
                              certificate, error))
        return NULL;
    }
  return g_steal_pointer (&certificates);
}

/**
 * cachet_certificate_store_import_file:
 * @path: a PEM or DER file
 *
 * Keeps the certificates of @path as correspondents' certificates.
 *
 * Returns: (transfer full) (element-type CachetCertificate): the certificates
 *   imported, or %NULL with an error
 */
GPtrArray *
cachet_certificate_store_import_file (CachetCertificateStore  *self,
                                      const char              *path,
                                      GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  return add_file (self, path, FALSE, error);
}

/**
 * cachet_certificate_store_trust_file:
 * @path: a PEM or DER file of authorities
 *
 * Trusts the certificates of @path as anchors for S/MIME.
 *
 * Returns: (transfer full) (element-type CachetCertificate): the anchors
 *   added, or %NULL with an error
 */
GPtrArray *
cachet_certificate_store_trust_file (CachetCertificateStore  *self,
                                     const char              *path,
                                     GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  return add_file (self, path, TRUE, error);
}

/* Deletes the file of the certificate of @fingerprint from @directory;
 * %FALSE if there is none. */
static gboolean
remove_from (const char *directory,
             const char *fingerprint)
{
  g_autofree char *folded = g_ascii_strdown (fingerprint, -1);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  /* The name comes from the user: it must not reach outside the store. */
  if (*folded == '\0')
    return FALSE;
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p))
        return FALSE;
    }
  name = g_strconcat (folded, ".pem", NULL);
  path = g_build_filename (directory, name, NULL);
  return g_unlink (path) == 0;
}

/**
 * cachet_certificate_store_remove_anchor:
 * @fingerprint: the SHA-256 fingerprint of the anchor, as listed
 *
 * Returns: %TRUE once the anchor is no longer trusted; %FALSE with
 *   %CACHET_SMIME_ERROR_NOT_FOUND if no such anchor is kept
 */
gboolean
cachet_certificate_store_remove_anchor (CachetCertificateStore  *self,
                                        const char              *fingerprint,
                                        GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  if (!remove_from (self->anchors_dir, fingerprint))
    {
      g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_NOT_FOUND,
                   _("No trusted authority has the fingerprint “%s”. "
                     "Run “cachet-cli cert list” to see them."), fingerprint);
      return FALSE;
    }
  return TRUE;
}

static void
set_not_kept_error (GError     **error,
                    const char  *fingerprint)
{
  g_set_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_NOT_FOUND,
               _("No correspondent’s certificate has the fingerprint “%s”. "
                 "Run “cachet-cli cert list” to see them."), fingerprint);
}

/**
 * cachet_certificate_store_remove_certificate:
 * @fingerprint: the SHA-256 fingerprint of a correspondent's certificate,
 *   as listed
 *
 * Forgets a correspondent's certificate: messages can no longer be
 * encrypted with it. Verifying a signature does not need it, as signed mail
 * carries its signer's certificate, and verifying a valid message of that
 * signer keeps it again.
 *
 * Returns: %TRUE once the certificate is gone; %FALSE with
 *   %CACHET_SMIME_ERROR_NOT_FOUND if no such certificate is kept
 */
gboolean
cachet_certificate_store_remove_certificate (CachetCertificateStore  *self,
                                             const char              *fingerprint,
                                             GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  if (!remove_from (self->correspondents_dir, fingerprint))
    {
      set_not_kept_error (error, fingerprint);
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_certificate_store_remove_file:
 * @path: a PEM or DER file, such as the one the certificate was imported
 *   from
 *
 * Forgets the correspondents' certificates that are in @path, as
 * cachet_certificate_store_remove_certificate() does.
 *
 * Returns: (transfer full) (element-type CachetCertificate): the
 *   certificates removed, at least one; or %NULL with an error
 *   (%CACHET_SMIME_ERROR_NOT_FOUND if none of them was kept)
 */
GPtrArray *
cachet_certificate_store_remove_file (CachetCertificateStore  *self,
                                      const char              *path,
                                      GError                 **error)
{
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if ((certificates = read_certificate_file (path, error)) == NULL)
    return NULL;
  for (guint i = 0; i < certificates->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (certificates, i);

      if (remove_from (self->correspondents_dir, cachet_certificate_get_fingerprint (certificate)))
        g_ptr_array_add (removed, g_object_ref (certificate));
    }
  if (removed->len == 0)
    {
      set_not_kept_error (error, cachet_certificate_get_fingerprint (g_ptr_array_index (certificates, 0)));
      return NULL;
    }
  return g_steal_pointer (&removed);
}

/**
 * cachet_certificate_store_list_correspondents:
 *
 * Returns: (transfer full) (element-type CachetCertificate): the
 *   correspondents' certificates, or %NULL with an error
 */
GPtrArray *
cachet_certificate_store_list_correspondents (CachetCertificateStore  *self,
                                              GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  return list_directory (self->correspondents_dir, error);
}

/**
 * cachet_certificate_store_list_anchors:
 *
 * Returns: (transfer full) (element-type CachetCertificate): the authorities
 *   trusted on top of the system's, or %NULL with an error
 */
GPtrArray *
cachet_certificate_store_list_anchors (CachetCertificateStore  *self,
                                       GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  return list_directory (self->anchors_dir, error);
}

static gint
compare_expiry_latest_first (gconstpointer a,
                             gconstpointer b)
{
  CachetCertificate *first = *(CachetCertificate * const *) a;
  CachetCertificate *second = *(CachetCertificate * const *) b;

  return g_date_time_compare (cachet_certificate_get_not_after (second),
                              cachet_certificate_get_not_after (first));
}

/**
 * cachet_certificate_store_lookup_address:
 * @address: an e-mail address
 *
 * Returns: (transfer full) (element-type CachetCertificate): the
 *   correspondents' certificates for @address, the one that expires last
 *   first (expired ones included, for the caller to warn), or %NULL with an
 *   error
 */
GPtrArray *
cachet_certificate_store_lookup_address (CachetCertificateStore  *self,
                                         const char              *address,
                                         GError                 **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if ((all = cachet_certificate_store_list_correspondents (self, error)) == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (all, i);

      if (cachet_certificate_has_email_address (certificate, address))
        g_ptr_array_add (found, g_object_ref (certificate));
    }
  g_ptr_array_sort (found, compare_expiry_latest_first);

  return g_steal_pointer (&found);
}

/**
 * cachet_certificate_store_new_trust_list:
 *
 * Returns: (transfer full) (nullable): the anchors, with the system's unless
 *   turned off, to free with gnutls_x509_trust_list_deinit (list, 1); or
 *   %NULL with an error
 */
gnutls_x509_trust_list_t
cachet_certificate_store_new_trust_list (CachetCertificateStore  *self,
                                         GError                 **error)
{
  g_autoptr(GPtrArray) anchors = NULL;
  gnutls_x509_trust_list_t list = NULL;

  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);

  if ((anchors = cachet_certificate_store_list_anchors (self, error)) == NULL)
    return NULL;
  if (gnutls_x509_trust_list_init (&list, 0) < 0)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_STORE,
                           gnutls_strerror (GNUTLS_E_MEMORY_ERROR));
      return NULL;
    }
  /* Without a system store there is simply nothing more to trust. */
  if (self->use_system_anchors)
    gnutls_x509_trust_list_add_system_trust (list, 0, 0);

  for (guint i = 0; i < anchors->len; i++)
    {
      gnutls_x509_crt_t crt = cachet_certificate_to_crt (g_ptr_array_index (anchors, i));

      if (crt != NULL && gnutls_x509_trust_list_add_cas (list, &crt, 1, 0) != 1)
        gnutls_x509_crt_deinit (crt);
    }

  return list;
}
