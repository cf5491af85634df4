/* cachet-certificate-store.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <sys/stat.h>

#include "cachet-certificate-store.h"
#include "cachet-paths.h"
#include "cachet-smime-error.h"

/* Certificates kept on this computer, one PEM file per certificate named by
 * its SHA-256 fingerprint: correspondents/ holds the certificates of people
 * we may write to (collected from validly signed mail or imported by the
 * user), anchors/ the authorities the user trusts for S/MIME on top of the
 * system's. The two never mix: importing a correspondent's certificate never
 * makes anything trusted. Files keep the store readable and repairable by
 * hand, and the store stays small (one file per correspondent).
 *
 * Reading and parsing those files costs far more than the cryptography of a
 * message (the system's authorities alone take milliseconds), so the store
 * keeps what it read: the trust list, and the correspondents' certificates
 * indexed by address. Its own changes drop them at once; changes by another
 * process (cachet-cli, another store on the same folder, a repair by hand)
 * are seen by comparing each folder's files with what they were when read
 * (FileStamp), which costs a directory listing and no parsing. The
 * system's authorities are read with the trust list: a change to them is
 * seen when the anchors change or at the next start. Verification runs in
 * worker threads and GnuTLS does not document its trust lists as safe for
 * concurrent use, so the trust list is only used under its lock. */

/* An import holds a few certificates; anything larger is not one. */
#define MAX_IMPORT_SIZE (1024 * 1024)
#define MAX_IMPORT_CERTIFICATES 64

/* A file of a folder as last seen: another inode, size or time means the
 * file was replaced or rewritten. */
typedef struct
{
  ino_t inode;
  off_t size;
  gint64 modified_ns;
  gint64 changed_ns;
} FileStamp;

struct _CachetCertificateStore
{
  GObject parent_instance;

  char *correspondents_dir;
  char *anchors_dir;
  gboolean use_system_anchors;

  /* Guards use_system_anchors once the store is shared, the two fields
   * below and every use of trust_list. */
  GMutex trust_lock;
  gnutls_x509_trust_list_t trust_list;
  /* The anchors folder when trust_list was built: file name to FileStamp;
   * %NULL when there is no trust list to reuse. */
  GHashTable *trust_stamps;

  GMutex index_lock;
  /* Lower-case address to a GPtrArray of CachetCertificate, the one that
   * expires last first. */
  GHashTable *index;
  GHashTable *index_stamps;
};

G_DEFINE_FINAL_TYPE (CachetCertificateStore, cachet_certificate_store, G_TYPE_OBJECT)

static void
clear_trust_list (CachetCertificateStore *self)
{
  if (self->trust_list != NULL)
    gnutls_x509_trust_list_deinit (self->trust_list, 1);
  self->trust_list = NULL;
  g_clear_pointer (&self->trust_stamps, g_hash_table_unref);
}

static void
cachet_certificate_store_finalize (GObject *object)
{
  CachetCertificateStore *self = CACHET_CERTIFICATE_STORE (object);

  g_clear_pointer (&self->correspondents_dir, g_free);
  g_clear_pointer (&self->anchors_dir, g_free);
  clear_trust_list (self);
  g_mutex_clear (&self->trust_lock);
  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->index_stamps, g_hash_table_unref);
  g_mutex_clear (&self->index_lock);

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
  g_mutex_init (&self->trust_lock);
  g_mutex_init (&self->index_lock);
}

static void
forget_trust_list (CachetCertificateStore *self)
{
  g_mutex_lock (&self->trust_lock);
  clear_trust_list (self);
  g_mutex_unlock (&self->trust_lock);
}

static void
forget_index (CachetCertificateStore *self)
{
  g_mutex_lock (&self->index_lock);
  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->index_stamps, g_hash_table_unref);
  g_mutex_unlock (&self->index_lock);
}

/* The certificate files of @directory (name to FileStamp), an empty table
 * when there is no such folder; %NULL when it cannot be listed, which
 * matches nothing, so that the caller reads it again and reports why. */
static GHashTable *
read_stamps (const char *directory)
{
  g_autoptr(GHashTable) stamps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  DIR *dir = opendir (directory);
  struct dirent *entry;

  if (dir == NULL)
    return errno == ENOENT ? g_steal_pointer (&stamps) : NULL;

  while ((entry = readdir (dir)) != NULL)
    {
      struct stat info;
      FileStamp *stamp;

      if (!g_str_has_suffix (entry->d_name, ".pem"))
        continue;
      if (fstatat (dirfd (dir), entry->d_name, &info, 0) != 0)
        {
          /* Removed since listed: the folder is changing. */
          g_clear_pointer (&stamps, g_hash_table_unref);
          break;
        }
      stamp = g_new (FileStamp, 1);
      stamp->inode = info.st_ino;
      stamp->size = info.st_size;
      stamp->modified_ns = (gint64) info.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + info.st_mtim.tv_nsec;
      stamp->changed_ns = (gint64) info.st_ctim.tv_sec * G_GINT64_CONSTANT (1000000000) + info.st_ctim.tv_nsec;
      g_hash_table_insert (stamps, g_strdup (entry->d_name), stamp);
    }
  closedir (dir);

  return g_steal_pointer (&stamps);
}

static gboolean
stamp_equal (const FileStamp *a,
             const FileStamp *b)
{
  return a->inode == b->inode && a->size == b->size && a->modified_ns == b->modified_ns &&
         a->changed_ns == b->changed_ns;
}

/* Whether @directory still holds the files of @stamps, unchanged. */
static gboolean
stamps_match (GHashTable *stamps,
              const char *directory)
{
  g_autoptr(GHashTable) now = NULL;
  GHashTableIter iter;
  gpointer name;
  gpointer stamp;

  if (stamps == NULL || (now = read_stamps (directory)) == NULL ||
      g_hash_table_size (now) != g_hash_table_size (stamps))
    return FALSE;
  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &name, &stamp))
    {
      FileStamp *then = g_hash_table_lookup (stamps, name);

      if (then == NULL || !stamp_equal (then, stamp))
        return FALSE;
    }
  return TRUE;
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

  g_mutex_lock (&self->trust_lock);
  if (self->use_system_anchors != use_system_anchors)
    clear_trust_list (self);
  self->use_system_anchors = use_system_anchors;
  g_mutex_unlock (&self->trust_lock);
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

/* What the store keeps from @directory (one of its two folders) is stale
 * once it changed. */
static void
forget_folder (CachetCertificateStore *self,
               const char             *directory)
{
  if (directory == self->anchors_dir)
    forget_trust_list (self);
  else
    forget_index (self);
}

static gboolean
write_certificate (CachetCertificateStore  *self,
                   const char              *directory,
                   CachetCertificate       *certificate,
                   GError                 **error)
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
  forget_folder (self, directory);
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

  return write_certificate (self, self->correspondents_dir, certificate, error);
}

gboolean
cachet_certificate_store_add_anchor (CachetCertificateStore  *self,
                                     CachetCertificate       *certificate,
                                     GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), FALSE);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE (certificate), FALSE);

  return write_certificate (self, self->anchors_dir, certificate, error);
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

      if (!write_certificate (self, as_anchors ? self->anchors_dir : self->correspondents_dir,
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
remove_from (CachetCertificateStore *self,
             const char             *directory,
             const char             *fingerprint)
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
  if (g_unlink (path) != 0)
    return FALSE;
  forget_folder (self, directory);
  return TRUE;
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

  if (!remove_from (self, self->anchors_dir, fingerprint))
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

  if (!remove_from (self, self->correspondents_dir, fingerprint))
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

      if (remove_from (self, self->correspondents_dir, cachet_certificate_get_fingerprint (certificate)))
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

static GHashTable *
index_by_address (GPtrArray *certificates)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer found;

  for (guint i = 0; i < certificates->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (certificates, i);
      const char * const *addresses = cachet_certificate_get_email_addresses (certificate);

      for (guint j = 0; addresses[j] != NULL; j++)
        {
          GPtrArray *kept = g_hash_table_lookup (index, addresses[j]);

          if (kept == NULL)
            {
              kept = g_ptr_array_new_with_free_func (g_object_unref);
              g_hash_table_insert (index, g_strdup (addresses[j]), kept);
            }
          g_ptr_array_add (kept, g_object_ref (certificate));
        }
    }
  g_hash_table_iter_init (&iter, index);
  while (g_hash_table_iter_next (&iter, NULL, &found))
    g_ptr_array_sort (found, compare_expiry_latest_first);

  return index;
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
  g_autofree char *folded = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *kept;

  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  g_mutex_lock (&self->index_lock);
  if (self->index == NULL || !stamps_match (self->index_stamps, self->correspondents_dir))
    {
      /* Stamped before reading: a file that changes meanwhile is read
       * again next time. */
      g_autoptr(GHashTable) stamps = read_stamps (self->correspondents_dir);
      g_autoptr(GPtrArray) all = list_directory (self->correspondents_dir, error);

      g_clear_pointer (&self->index, g_hash_table_unref);
      g_clear_pointer (&self->index_stamps, g_hash_table_unref);
      if (all == NULL)
        {
          g_mutex_unlock (&self->index_lock);
          return NULL;
        }
      self->index = index_by_address (all);
      self->index_stamps = g_steal_pointer (&stamps);
    }
  folded = g_ascii_strdown (address, -1);
  if ((kept = g_hash_table_lookup (self->index, folded)) != NULL)
    {
      for (guint i = 0; i < kept->len; i++)
        g_ptr_array_add (found, g_object_ref (g_ptr_array_index (kept, i)));
    }
  g_mutex_unlock (&self->index_lock);

  return g_steal_pointer (&found);
}

static gnutls_x509_trust_list_t
new_trust_list (CachetCertificateStore  *self,
                gboolean                 use_system_anchors,
                GError                 **error)
{
  g_autoptr(GPtrArray) anchors = NULL;
  gnutls_x509_trust_list_t list = NULL;

  if ((anchors = cachet_certificate_store_list_anchors (self, error)) == NULL)
    return NULL;
  if (gnutls_x509_trust_list_init (&list, 0) < 0)
    {
      g_set_error_literal (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_STORE,
                           gnutls_strerror (GNUTLS_E_MEMORY_ERROR));
      return NULL;
    }
  /* Without a system store there is simply nothing more to trust. */
  if (use_system_anchors)
    gnutls_x509_trust_list_add_system_trust (list, 0, 0);

  for (guint i = 0; i < anchors->len; i++)
    {
      gnutls_x509_crt_t crt = cachet_certificate_to_crt (g_ptr_array_index (anchors, i));

      if (crt != NULL && gnutls_x509_trust_list_add_cas (list, &crt, 1, 0) != 1)
        gnutls_x509_crt_deinit (crt);
    }

  return list;
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
  gboolean use_system_anchors;

  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);

  g_mutex_lock (&self->trust_lock);
  use_system_anchors = self->use_system_anchors;
  g_mutex_unlock (&self->trust_lock);
  return new_trust_list (self, use_system_anchors, error);
}

/**
 * cachet_certificate_store_lock_anchors:
 * @error: return location for a #GError
 *
 * The trust list of cachet_certificate_store_new_trust_list(), kept from
 * one call to the next while the anchors stay the same, for the caller to
 * use until cachet_certificate_store_unlock_anchors(); meanwhile any other
 * thread that wants it waits.
 *
 * Returns: (transfer none) (nullable): the anchors, or %NULL with an error
 *   and nothing to unlock
 */
gnutls_x509_trust_list_t
cachet_certificate_store_lock_anchors (CachetCertificateStore  *self,
                                       GError                 **error)
{
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (self), NULL);

  g_mutex_lock (&self->trust_lock);
  if (self->trust_list == NULL || !stamps_match (self->trust_stamps, self->anchors_dir))
    {
      g_autoptr(GHashTable) stamps = read_stamps (self->anchors_dir);

      clear_trust_list (self);
      if ((self->trust_list = new_trust_list (self, self->use_system_anchors, error)) == NULL)
        {
          g_mutex_unlock (&self->trust_lock);
          return NULL;
        }
      self->trust_stamps = g_steal_pointer (&stamps);
    }
  return self->trust_list;
}

/**
 * cachet_certificate_store_unlock_anchors:
 *
 * Gives back the trust list of cachet_certificate_store_lock_anchors().
 */
void
cachet_certificate_store_unlock_anchors (CachetCertificateStore *self)
{
  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (self));
  g_mutex_unlock (&self->trust_lock);
}
