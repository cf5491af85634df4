/* cachet-maildir.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cachet-maildir.h"
#include "cachet-store-private.h"

/* One folder's mail, as a Maildir (https://cr.yp.to/proto/maildir.html):
 *
 *   tmp/   files being written; never read
 *   new/   not used by Cachet, read if another program delivered there
 *   cur/   <unique>,U=<uid>[,M=<modseq>]:2,<flags><keyword letters>
 *
 * Names are generated here, never taken from a message or a server. The
 * unique part is "<seconds>.M<microseconds>P<pid>Q<counter>R<64 random
 * bits>.<host>", so names never collide across threads, processes or machines
 * sharing the folder; everything after the first ',' can change (flags,
 * modseq) while the unique part identifies the message for good. The file's
 * mtime is the IMAP INTERNALDATE, as Dovecot does.
 *
 * Threading: every method may be called from any thread. Deliveries run in
 * parallel; the keyword letters are under a mutex. */

#define KEYWORDS_FILE "cachet-keywords"
#define INFO_SEPARATOR ":2,"
#define MAX_CREATE_ATTEMPTS 8
/* Long enough for any name we generate; NAME_MAX is 255 nearly everywhere. */
#define MAX_FILENAME_LENGTH 255
/* Folder names become directory names; a longer encoding is hashed. */
#define MAX_DIRNAME_LENGTH 240
/* A file in tmp/ this old was left by a crash, not being written. */
#define STALE_TMP_SECONDS (36 * 60 * 60)

struct _CachetMaildir
{
  GObject    parent_instance;

  /* Immutable after construction. */
  char      *path;
  char      *tmp_dir;
  char      *new_dir;
  char      *cur_dir;

  GMutex     keywords_lock;
  GPtrArray *keywords; /* letter - 'a' -> keyword; NULL until loaded; under keywords_lock */
};

G_DEFINE_FINAL_TYPE (CachetMaildir, cachet_maildir, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The system flags, in the ASCII order the Maildir specification asks for. */
static const struct
{
  char               letter;
  CachetMessageFlags flag;
} flag_letters[] = {
  { 'D', CACHET_MESSAGE_FLAG_DRAFT },
  { 'F', CACHET_MESSAGE_FLAG_FLAGGED },
  { 'R', CACHET_MESSAGE_FLAG_ANSWERED },
  { 'S', CACHET_MESSAGE_FLAG_SEEN },
  { 'T', CACHET_MESSAGE_FLAG_DELETED },
};

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

/* File names come from the index, which a damaged or hostile database could
 * fill with anything: only a plain name in our directories is accepted. */
static gboolean
check_filename (const char  *filename,
                GError     **error)
{
  if (filename == NULL || filename[0] == '\0' || filename[0] == '.' ||
      strchr (filename, '/') != NULL || strlen (filename) > MAX_FILENAME_LENGTH)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                           _("Not a message file name"));
      return FALSE;
    }
  return TRUE;
}

static const char *
safe_host_name (void)
{
  static char *host;

  if (g_once_init_enter (&host))
    {
      /* ',' and ':' delimit the fields of our names and '/' paths. */
      g_autoptr(GString) name = g_string_new (NULL);

      for (const char *p = g_get_host_name (); *p != '\0' && name->len < 64; p++)
        g_string_append_c (name, g_ascii_isalnum (*p) || *p == '-' || *p == '.' ? *p : '_');
      if (name->len == 0)
        g_string_append (name, "localhost");
      g_once_init_leave (&host, g_string_free (g_steal_pointer (&name), FALSE));
    }

  return host;
}

static char *
make_unique_name (void)
{
  static gint counter;
  gint64 now = g_get_real_time ();

  return g_strdup_printf ("%" G_GINT64_FORMAT ".M%06dP%dQ%uR%08x%08x.%s",
                          now / G_USEC_PER_SEC, (int) (now % G_USEC_PER_SEC), (int) getpid (),
                          (guint) g_atomic_int_add (&counter, 1), g_random_int (), g_random_int (),
                          safe_host_name ());
}

typedef struct
{
  char               *unique;
  guint32             uid;
  guint64             modseq;
  CachetMessageFlags  flags;
  char               *keyword_letters;
} ParsedName;

static void
parsed_name_clear (ParsedName *parsed)
{
  g_clear_pointer (&parsed->unique, g_free);
  g_clear_pointer (&parsed->keyword_letters, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ParsedName, parsed_name_clear)

/* Reads our own names and, as well as it can, those of other Maildir
 * writers: fields it does not know (Dovecot's S=, W=...) are ignored. */
static void
parse_filename (const char *filename,
                ParsedName *parsed)
{
  const char *info = strrchr (filename, ':');
  g_autofree char *base = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GString) letters = g_string_new (NULL);

  if (info != NULL && !g_str_has_prefix (info, INFO_SEPARATOR))
    info = NULL;
  base = info != NULL ? g_strndup (filename, (gsize) (info - filename)) : g_strdup (filename);

  fields = g_strsplit (base, ",", -1);
  parsed->unique = g_strdup (fields[0] != NULL ? fields[0] : "");
  for (guint i = 1; fields[0] != NULL && fields[i] != NULL; i++)
    {
      guint64 value;

      if (g_str_has_prefix (fields[i], "U=") &&
          g_ascii_string_to_unsigned (fields[i] + 2, 10, 1, G_MAXUINT32, &value, NULL))
        parsed->uid = (guint32) value;
      else if (g_str_has_prefix (fields[i], "M=") &&
               g_ascii_string_to_unsigned (fields[i] + 2, 10, 1, G_MAXUINT64, &value, NULL))
        parsed->modseq = value;
    }

  if (info == NULL)
    return;
  for (const char *p = info + strlen (INFO_SEPARATOR); *p != '\0'; p++)
    {
      if (*p >= 'a' && *p <= 'z' && strchr (letters->str, *p) == NULL)
        g_string_append_c (letters, *p);
      for (gsize i = 0; i < G_N_ELEMENTS (flag_letters); i++)
        {
          if (*p == flag_letters[i].letter)
            parsed->flags |= flag_letters[i].flag;
        }
    }
  parsed->keyword_letters = g_string_free (g_steal_pointer (&letters), FALSE);
}

static char *
compose_filename (const char         *unique,
                  guint32             uid,
                  guint64             modseq,
                  CachetMessageFlags  flags,
                  const char         *keyword_letters)
{
  GString *name = g_string_new (unique);

  if (uid > 0)
    g_string_append_printf (name, ",U=%u", uid);
  if (modseq > 0)
    g_string_append_printf (name, ",M=%" G_GUINT64_FORMAT, modseq);
  g_string_append (name, INFO_SEPARATOR);
  for (gsize i = 0; i < G_N_ELEMENTS (flag_letters); i++)
    {
      if (flags & flag_letters[i].flag)
        g_string_append_c (name, flag_letters[i].letter);
    }
  g_string_append (name, keyword_letters);

  return g_string_free (name, FALSE);
}

/* Called with keywords_lock held. */
static void
load_keywords_locked (CachetMaildir *self)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (self->keywords != NULL)
    return;

  self->keywords = g_ptr_array_new_with_free_func (g_free);
  path = g_build_filename (self->path, KEYWORDS_FILE, NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", CACHET_MAILDIR_MAX_KEYWORDS + 1);
  for (guint i = 0; lines[i] != NULL && i < CACHET_MAILDIR_MAX_KEYWORDS; i++)
    {
      /* A damaged line keeps its letter, so that the others keep theirs. */
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      g_ptr_array_add (self->keywords,
                       g_strdup (cachet_store_keyword_is_valid (lines[i]) ? lines[i] : ""));
    }
}

/* Called with keywords_lock held. The file is written (durably) before a
 * name uses the new letter, so a letter never means two keywords. */
static gboolean
save_keywords_locked (CachetMaildir  *self,
                      GError        **error)
{
  g_autofree char *path = g_build_filename (self->path, KEYWORDS_FILE, NULL);
  g_autoptr(GString) contents = g_string_new (NULL);

  for (guint i = 0; i < self->keywords->len; i++)
    g_string_append_printf (contents, "%s\n", (const char *) g_ptr_array_index (self->keywords, i));

  if (!g_file_set_contents_full (path, contents->str, (gssize) contents->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      _cachet_store_hide_path (error, _("Cannot save the keywords of the folder"));
      return FALSE;
    }
  return TRUE;
}

static int
compare_chars (gconstpointer a,
               gconstpointer b)
{
  return *(const char *) a - *(const char *) b;
}

/* The letters for @keywords, sorted; keywords that are not valid atoms or
 * that find no free letter are left to the index. */
static char *
keyword_letters (CachetMaildir       *self,
                 const char * const  *keywords,
                 GError             **error)
{
  g_autoptr(GString) letters = g_string_new (NULL);
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean changed = FALSE;

  locker = g_mutex_locker_new (&self->keywords_lock);
  load_keywords_locked (self);

  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++)
    {
      guint index;

      if (!cachet_store_keyword_is_valid (keywords[i]))
        continue;
      if (!g_ptr_array_find_with_equal_func (self->keywords, keywords[i], g_str_equal, &index))
        {
          if (self->keywords->len == CACHET_MAILDIR_MAX_KEYWORDS)
            continue;
          g_ptr_array_add (self->keywords, g_strdup (keywords[i]));
          index = self->keywords->len - 1;
          changed = TRUE;
        }
      if (strchr (letters->str, 'a' + (int) index) == NULL)
        g_string_append_c (letters, (char) ('a' + index));
    }

  if (changed && !save_keywords_locked (self, error))
    {
      /* Forget the letters that were not saved. */
      g_clear_pointer (&self->keywords, g_ptr_array_unref);
      return NULL;
    }

  qsort (letters->str, letters->len, 1, compare_chars);
  return g_string_free (g_steal_pointer (&letters), FALSE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char **
keywords_from_letters (CachetMaildir *self,
                       const char    *letters)
{
  g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMutexLocker) locker = NULL;

  locker = g_mutex_locker_new (&self->keywords_lock);
  load_keywords_locked (self);
  for (const char *p = letters; p != NULL && *p != '\0'; p++)
    {
      guint index = (guint) (*p - 'a');
      const char *keyword = NULL;

      if (index < self->keywords->len)
        keyword = g_ptr_array_index (self->keywords, index);
      if (keyword != NULL && *keyword != '\0')
        g_ptr_array_add (keywords, g_strdup (keyword));
    }
  g_ptr_array_sort (keywords, compare_strings);
  g_ptr_array_add (keywords, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&keywords), FALSE);
}

static gboolean
fsync_directory (const char  *path,
                 GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return set_errno_error (error, errno, _("Cannot open the mail folder"));
  /* Some file systems cannot sync a directory (EINVAL): nothing more can be
   * done there, and the file itself was synced already. */
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, _("Cannot sync the mail folder"));
    }
  close (fd);
  return TRUE;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          size,
           GCancellable  *cancellable,
           GError       **error)
{
  const gsize chunk = 1024 * 1024;

  while (size > 0)
    {
      ssize_t written;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      written = write (fd, data, MIN (size, chunk));
      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return set_errno_error (error, errno, _("Cannot write the message"));
        }
      data += written;
      size -= (gsize) written;
    }
  return TRUE;
}

/* Moves @from to @to unless @to exists. Not every file system has
 * RENAME_NOREPLACE, nor hard links (some network and FUSE mounts); the last
 * resort is a plain rename, safe because our names are unique by
 * construction. */
static gboolean
rename_no_replace (const char  *from,
                   const char  *to,
                   GError     **error)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return set_errno_error (error, errno, _("Cannot move the message into the folder"));

  if (link (from, to) == 0)
    {
      g_unlink (from);
      return TRUE;
    }
  if (errno != EPERM && errno != ENOSYS && errno != ENOTSUP)
    return set_errno_error (error, errno, _("Cannot move the message into the folder"));

  if (rename (from, to) == 0)
    return TRUE;
  return set_errno_error (error, errno, _("Cannot move the message into the folder"));
}

static void
cachet_maildir_finalize (GObject *object)
{
  CachetMaildir *self = (CachetMaildir *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->tmp_dir, g_free);
  g_clear_pointer (&self->new_dir, g_free);
  g_clear_pointer (&self->cur_dir, g_free);
  g_clear_pointer (&self->keywords, g_ptr_array_unref);
  g_mutex_clear (&self->keywords_lock);

  G_OBJECT_CLASS (cachet_maildir_parent_class)->finalize (object);
}

static void
cachet_maildir_constructed (GObject *object)
{
  CachetMaildir *self = (CachetMaildir *) object;

  G_OBJECT_CLASS (cachet_maildir_parent_class)->constructed (object);

  self->tmp_dir = g_build_filename (self->path, "tmp", NULL);
  self->new_dir = g_build_filename (self->path, "new", NULL);
  self->cur_dir = g_build_filename (self->path, "cur", NULL);
}

static void
cachet_maildir_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CachetMaildir *self = CACHET_MAILDIR (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_maildir_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CachetMaildir *self = CACHET_MAILDIR (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_maildir_class_init (CachetMaildirClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cachet_maildir_finalize;
  object_class->constructed = cachet_maildir_constructed;
  object_class->get_property = cachet_maildir_get_property;
  object_class->set_property = cachet_maildir_set_property;

  /**
   * CachetMaildir:path:
   *
   * The directory holding tmp/, new/ and cur/.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cachet_maildir_init (CachetMaildir *self)
{
  g_mutex_init (&self->keywords_lock);
}

/**
 * cachet_maildir_new:
 * @path: the directory of the Maildir; it need not exist yet
 *
 * Returns: (transfer full): a Maildir; no file is touched until it is used.
 */
CachetMaildir *
cachet_maildir_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (CACHET_TYPE_MAILDIR, "path", path, NULL);
}

/**
 * cachet_maildir_get_path:
 * @self: a #CachetMaildir
 *
 * Returns: (transfer none): the directory of the Maildir.
 */
const char *
cachet_maildir_get_path (CachetMaildir *self)
{
  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);

  return self->path;
}

/**
 * cachet_maildir_ensure:
 * @self: a #CachetMaildir
 * @error: return location for a #GError
 *
 * Creates the Maildir if needed (mode 0700), durably: the directories are
 * synced, so that a message delivered next cannot vanish with its folder.
 * Blocking: call from a worker.
 *
 * Returns: %TRUE if the Maildir exists.
 */
gboolean
cachet_maildir_ensure (CachetMaildir  *self,
                       GError        **error)
{
  const char *subdirs[] = { self->tmp_dir, self->new_dir, self->cur_dir };
  g_autofree char *parent = NULL;
  gboolean complete = TRUE;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    complete = complete && g_file_test (subdirs[i], G_FILE_TEST_IS_DIR);
  if (complete)
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      if (g_mkdir_with_parents (subdirs[i], 0700) != 0)
        return set_errno_error (error, errno, _("Cannot create the mail folder"));
    }

  parent = g_path_get_dirname (self->path);
  return fsync_directory (self->path, error) && fsync_directory (parent, error);
}

/**
 * cachet_maildir_deliver:
 * @self: a #CachetMaildir
 * @raw: the message
 * @uid: its IMAP UID, kept in the name; 0 for none
 * @modseq: its modification sequence, kept in the name; 0 for none
 * @flags: its flags
 * @keywords: (nullable) (array zero-terminated=1): its keywords
 * @internal_date: its INTERNALDATE, unix seconds, kept as the file's mtime;
 *   0 for now
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores @raw durably: written to tmp/ under a new unique name, synced,
 * moved into cur/ (never over another file), and cur/ synced. When this
 * returns, the message survives a crash or a power cut. Blocking: call from
 * a worker; several threads may deliver at once.
 *
 * Returns: (transfer full): the file name in cur/, or %NULL on error (no
 *   file is left in tmp/).
 */
char *
cachet_maildir_deliver (CachetMaildir       *self,
                        GBytes              *raw,
                        guint32              uid,
                        guint64              modseq,
                        CachetMessageFlags   flags,
                        const char * const  *keywords,
                        gint64               internal_date,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autofree char *filename = cachet_maildir_deliver_unsynced (self, raw, uid, modseq, flags, keywords,
                                                              internal_date, cancellable, error);

  if (filename == NULL || !cachet_maildir_sync (self, error))
    return NULL;
  return g_steal_pointer (&filename);
}

/**
 * cachet_maildir_sync:
 * @self: a #CachetMaildir
 * @error: return location for a #GError
 *
 * Syncs cur/: the messages delivered into it so far survive a power cut.
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_maildir_sync (CachetMaildir  *self,
                     GError        **error)
{
  g_return_val_if_fail (CACHET_IS_MAILDIR (self), FALSE);

  return fsync_directory (self->cur_dir, error);
}

/**
 * cachet_maildir_deliver_unsynced:
 *
 * Like cachet_maildir_deliver(), but leaves cur/ unsynced, so that one
 * cachet_maildir_sync() makes a whole batch of deliveries durable: until
 * then, a power cut may lose the file (never half of it).
 *
 * Returns: (transfer full): the file name in cur/, or %NULL on error
 */
char *
cachet_maildir_deliver_unsynced (CachetMaildir       *self,
                                 GBytes              *raw,
                                 guint32              uid,
                                 guint64              modseq,
                                 CachetMessageFlags   flags,
                                 const char * const  *keywords,
                                 gint64               internal_date,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autofree char *letters = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *cur_path = NULL;
  const guint8 *data;
  gsize size;
  int fd = -1;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);
  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  letters = keyword_letters (self, keywords, error);
  if (letters == NULL)
    return NULL;

  for (guint attempt = 0; fd < 0; attempt++)
    {
      g_clear_pointer (&unique, g_free);
      g_clear_pointer (&tmp_path, g_free);
      unique = make_unique_name ();
      tmp_path = g_build_filename (self->tmp_dir, unique, NULL);
      fd = open (tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0 && (errno != EEXIST || attempt + 1 == MAX_CREATE_ATTEMPTS))
        {
          set_errno_error (error, errno, _("Cannot create the message file"));
          return NULL;
        }
    }

  data = g_bytes_get_data (raw, &size);
  if (!write_all (fd, data, size, cancellable, error))
    goto failed;
  if (internal_date > 0)
    {
      struct timespec times[2] = { { internal_date, 0 }, { internal_date, 0 } };

      if (futimens (fd, times) != 0)
        {
          set_errno_error (error, errno, _("Cannot date the message file"));
          goto failed;
        }
    }
  if (fsync (fd) != 0)
    {
      set_errno_error (error, errno, _("Cannot sync the message file"));
      goto failed;
    }
  if (close (fd) != 0)
    {
      fd = -1;
      set_errno_error (error, errno, _("Cannot write the message file"));
      goto failed;
    }
  fd = -1;

  filename = compose_filename (unique, uid, modseq, flags, letters);
  cur_path = g_build_filename (self->cur_dir, filename, NULL);
  if (!rename_no_replace (tmp_path, cur_path, error))
    goto failed;

  return g_steal_pointer (&filename);

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);
  return NULL;
}

static gboolean
is_same_message (const char *name,
                 const char *unique)
{
  gsize length = strlen (unique);

  return strncmp (name, unique, length) == 0 &&
         (name[length] == ',' || name[length] == ':' || name[length] == '\0');
}

/* Finds the file of a message whose name may have changed since it was
 * recorded (a flag change whose index update did not complete). */
static char *
find_by_unique (CachetMaildir  *self,
                const char     *unique,
                const char    **found_dir)
{
  const char *dirs[] = { self->cur_dir, self->new_dir };

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[i], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          if (is_same_message (name, unique))
            {
              *found_dir = dirs[i];
              return g_strdup (name);
            }
        }
    }
  return NULL;
}

/* The path of the file of @filename now: in cur/, in new/, or renamed. */
static char *
resolve (CachetMaildir  *self,
         const char     *filename,
         char          **current_name,
         GError        **error)
{
  const char *dirs[] = { self->cur_dir, self->new_dir };
  g_auto(ParsedName) parsed = { 0 };
  g_autofree char *found = NULL;
  const char *found_dir = NULL;

  if (!check_filename (filename, error))
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], filename, NULL);
      GStatBuf buf;

      if (g_lstat (path, &buf) == 0 && S_ISREG (buf.st_mode))
        {
          if (current_name != NULL)
            *current_name = g_strdup (filename);
          return g_steal_pointer (&path);
        }
    }

  parse_filename (filename, &parsed);
  if (parsed.unique[0] != '\0')
    found = find_by_unique (self, parsed.unique, &found_dir);
  if (found == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The message file is gone"));
      return NULL;
    }
  if (current_name != NULL)
    *current_name = g_strdup (found);
  return g_build_filename (found_dir, found, NULL);
}

/**
 * cachet_maildir_set_flags:
 * @self: a #CachetMaildir
 * @filename: the file name of a message
 * @modseq: the new modification sequence (0 for none)
 * @flags: the new flags
 * @keywords: (nullable) (array zero-terminated=1): the new keywords
 * @error: return location for a #GError
 *
 * Renames the file of a message to carry new flags. A message in new/ moves
 * to cur/. Flags come from the server again after a crash, so the directory
 * is not synced. Blocking: call from a worker.
 *
 * Returns: (transfer full): the new file name (maybe the same), or %NULL.
 */
char *
cachet_maildir_set_flags (CachetMaildir       *self,
                          const char          *filename,
                          guint64              modseq,
                          CachetMessageFlags   flags,
                          const char * const  *keywords,
                          GError             **error)
{
  g_autofree char *current_name = NULL;
  g_autofree char *from = NULL;
  g_autofree char *letters = NULL;
  g_autofree char *new_name = NULL;
  g_autofree char *to = NULL;
  g_auto(ParsedName) parsed = { 0 };

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);

  from = resolve (self, filename, &current_name, error);
  if (from == NULL)
    return NULL;
  letters = keyword_letters (self, keywords, error);
  if (letters == NULL)
    return NULL;

  parse_filename (current_name, &parsed);
  new_name = compose_filename (parsed.unique, parsed.uid, modseq, flags, letters);
  to = g_build_filename (self->cur_dir, new_name, NULL);
  if (g_strcmp0 (from, to) == 0)
    return g_steal_pointer (&new_name);

  /* The target differs from the source only after the unique part, which
   * no other message has: nothing can be overwritten. */
  if (g_rename (from, to) != 0)
    {
      set_errno_error (error, errno, _("Cannot change the message flags"));
      return NULL;
    }

  return g_steal_pointer (&new_name);
}

/**
 * cachet_maildir_locate:
 * @self: a #CachetMaildir
 * @filename: a file name, maybe out of date
 * @error: return location for a #GError
 *
 * Finds the current name of the message that @filename named: the same
 * file, or the same message with other flags. Blocking: call from a worker.
 *
 * Returns: (transfer full): the current file name, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND.
 */
char *
cachet_maildir_locate (CachetMaildir  *self,
                       const char     *filename,
                       GError        **error)
{
  g_autofree char *current_name = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);

  path = resolve (self, filename, &current_name, error);
  if (path == NULL)
    return NULL;
  return g_steal_pointer (&current_name);
}

/**
 * cachet_maildir_read:
 * @self: a #CachetMaildir
 * @filename: the file name of a message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a whole message. Blocking: call from a worker.
 *
 * Returns: (transfer full): the message, or %NULL.
 */
GBytes *
cachet_maildir_read (CachetMaildir  *self,
                     const char     *filename,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autofree char *path = NULL;
  char *contents;
  gsize length;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  path = resolve (self, filename, NULL, error);
  if (path == NULL)
    return NULL;
  if (!g_file_get_contents (path, &contents, &length, error))
    {
      _cachet_store_hide_path (error, _("Cannot read the message file"));
      return NULL;
    }

  return g_bytes_new_take (contents, length);
}

/**
 * cachet_maildir_open:
 * @self: a #CachetMaildir
 * @filename: the file name of a message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens a message for reading. The stream stays valid if the message is
 * renamed or removed meanwhile. Blocking: call from a worker.
 *
 * Returns: (transfer full): a stream, or %NULL.
 */
GInputStream *
cachet_maildir_open (CachetMaildir  *self,
                     const char     *filename,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GFileInputStream *stream;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);

  path = resolve (self, filename, NULL, error);
  if (path == NULL)
    return NULL;
  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    _cachet_store_hide_path (error, _("Cannot open the message file"));
  return G_INPUT_STREAM (stream);
}

/**
 * cachet_maildir_remove:
 * @self: a #CachetMaildir
 * @filename: the file name of a message
 * @error: return location for a #GError
 *
 * Deletes a message file: only for messages the server no longer has.
 * Blocking: call from a worker.
 *
 * Returns: %TRUE if the file is gone; %G_IO_ERROR_NOT_FOUND if it was
 *   already.
 */
gboolean
cachet_maildir_remove (CachetMaildir  *self,
                       const char     *filename,
                       GError        **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), FALSE);

  path = resolve (self, filename, NULL, error);
  if (path == NULL)
    return FALSE;
  if (g_unlink (path) != 0)
    return set_errno_error (error, errno, _("Cannot remove the message file"));
  return TRUE;
}

void
cachet_maildir_entry_free (CachetMaildirEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->filename);
  g_strfreev (entry->keywords);
  g_free (entry);
}

/**
 * cachet_maildir_list:
 * @self: a #CachetMaildir
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the messages of cur/ and new/, with what their names and files say.
 * Blocking: call from a worker.
 *
 * Returns: (transfer full) (element-type CachetMaildirEntry): the entries,
 *   in no particular order, or %NULL.
 */
GPtrArray *
cachet_maildir_list (CachetMaildir  *self,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  const char *dirs[] = { self->cur_dir, self->new_dir };

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), NULL);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_maildir_entry_free);
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[i], 0, error);
      const char *name;

      if (dir == NULL)
        {
          _cachet_store_hide_path (error, _("Cannot list the mail folder"));
          return NULL;
        }

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = NULL;
          g_auto(ParsedName) parsed = { 0 };
          CachetMaildirEntry *entry;
          GStatBuf buf;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          if (name[0] == '.')
            continue;
          path = g_build_filename (dirs[i], name, NULL);
          if (g_lstat (path, &buf) != 0 || !S_ISREG (buf.st_mode))
            continue;

          parse_filename (name, &parsed);
          entry = g_new0 (CachetMaildirEntry, 1);
          entry->filename = g_strdup (name);
          entry->uid = parsed.uid;
          entry->modseq = parsed.modseq;
          entry->flags = parsed.flags;
          entry->keywords = keywords_from_letters (self, parsed.keyword_letters);
          entry->internal_date = (gint64) buf.st_mtime;
          entry->size = (goffset) buf.st_size;
          g_ptr_array_add (entries, entry);
        }
    }

  return g_steal_pointer (&entries);
}

/**
 * cachet_maildir_remove_stale_tmp:
 * @self: a #CachetMaildir
 * @error: return location for a #GError
 *
 * Removes what a crash left in tmp/: files not touched for 36 hours, as the
 * Maildir specification advises. A younger file may still be being written
 * by another thread or process. Blocking: call from a worker.
 *
 * Returns: %TRUE unless tmp/ could not be read.
 */
gboolean
cachet_maildir_remove_stale_tmp (CachetMaildir  *self,
                                 GError        **error)
{
  g_autoptr(GDir) dir = NULL;
  gint64 oldest_kept = g_get_real_time () / G_USEC_PER_SEC - STALE_TMP_SECONDS;
  const char *name;

  g_return_val_if_fail (CACHET_IS_MAILDIR (self), FALSE);

  dir = g_dir_open (self->tmp_dir, 0, error);
  if (dir == NULL)
    {
      _cachet_store_hide_path (error, _("Cannot list the mail folder"));
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->tmp_dir, name, NULL);
      GStatBuf buf;

      if (g_lstat (path, &buf) == 0 && S_ISREG (buf.st_mode) && (gint64) buf.st_mtime < oldest_kept)
        g_unlink (path);
    }

  return TRUE;
}

/**
 * cachet_maildir_encode_folder_name:
 * @name: a folder name (UTF-8), as the IMAP layer gives it
 *
 * Maps a folder name to a directory name that cannot escape its parent:
 * letters, digits, '-' and '_' stay, every other byte (including '/', '.',
 * and all of UTF-8 beyond ASCII) becomes %XX. The mapping is one-to-one and
 * decoded by cachet_maildir_decode_folder_name(). An encoding longer than a
 * file name may be is replaced by "~" and a SHA-256 of @name; the folder's
 * state file then keeps the real name.
 *
 * Returns: (transfer full) (nullable): the directory name, or %NULL if
 *   @name is empty or not UTF-8.
 */
char *
cachet_maildir_encode_folder_name (const char *name)
{
  g_autoptr(GString) encoded = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    return NULL;

  encoded = g_string_new (NULL);
  for (const guint8 *p = (const guint8 *) name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        g_string_append_c (encoded, (char) *p);
      else
        g_string_append_printf (encoded, "%%%02X", *p);
    }

  if (encoded->len > MAX_DIRNAME_LENGTH)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);

      return g_strconcat ("~", digest, NULL);
    }
  return g_string_free (g_steal_pointer (&encoded), FALSE);
}

/**
 * cachet_maildir_decode_folder_name:
 * @dirname: a directory name
 *
 * The inverse of cachet_maildir_encode_folder_name().
 *
 * Returns: (transfer full) (nullable): the folder name, or %NULL if
 *   @dirname is no encoding of ours, or a hashed one.
 */
char *
cachet_maildir_decode_folder_name (const char *dirname)
{
  g_autoptr(GString) name = NULL;
  g_autofree char *again = NULL;

  g_return_val_if_fail (dirname != NULL, NULL);

  name = g_string_new (NULL);
  for (const char *p = dirname; *p != '\0'; p++)
    {
      if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (name, (char) (g_ascii_xdigit_value (p[1]) * 16 +
                                           g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        {
          g_string_append_c (name, *p);
        }
      else
        {
          return NULL;
        }
    }

  /* Only the canonical spelling decodes (upper-case hex, nothing escaped
   * needlessly): one folder, one directory. */
  again = cachet_maildir_encode_folder_name (name->str);
  if (again == NULL || strlen (name->str) != name->len || strcmp (again, dirname) != 0)
    return NULL;
  return g_string_free (g_steal_pointer (&name), FALSE);
}
