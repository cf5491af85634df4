/* cachet-outbox.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cachet-message-summary.h"
#include "cachet-outbox.h"
#include "cachet-paths.h"

/* The outbox is a folder of pairs: <id>.eml holds the message exactly as it
 * will be sent, <id>.state (a key file) where it stands. Both are written
 * durably and atomically (temporary file, fsync, rename), the message first:
 * a message without its state file is an enqueue that never completed (the
 * caller was told it failed) and is removed. Removing goes the other way, the
 * state first, for the same reason. */

#define STATE_GROUP "Outbox"
/* A file of the outbox nobody wrote for this long was left by a crash. */
#define ABANDONED_SECONDS (60 * 60)

/* Waits between attempts, in seconds: soon at first, then at most hourly. */
static const gint64 retry_delays[] = { 60, 120, 300, 600, 1800, 3600 };

struct _CachetOutbox
{
  GObject  parent_instance;

  char    *dir;
};

G_DEFINE_FINAL_TYPE (CachetOutbox, cachet_outbox, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const state_names[] = {
  [CACHET_OUTBOX_QUEUED] = "queued",
  [CACHET_OUTBOX_SENDING] = "sending",
  [CACHET_OUTBOX_ACCEPTED] = "accepted",
  [CACHET_OUTBOX_FAILED] = "failed",
};

/**
 * cachet_outbox_state_to_string:
 *
 * Returns: (transfer none): a stable name for @state, as stored and printed
 */
const char *
cachet_outbox_state_to_string (CachetOutboxState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

static gboolean
state_from_string (const char        *name,
                   CachetOutboxState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (name, state_names[i]) == 0)
        {
          *state = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
cachet_outbox_entry_free (CachetOutboxEntry *entry)
{
  g_free (entry->id);
  g_strfreev (entry->recipients);
  g_free (entry->last_error);
  g_free (entry->queue_id);
  g_free (entry->subject);
  g_free (entry);
}

/**
 * cachet_outbox_entry_copy:
 *
 * Returns: (transfer full): a copy of @entry
 */
CachetOutboxEntry *
cachet_outbox_entry_copy (const CachetOutboxEntry *entry)
{
  CachetOutboxEntry *copy = g_memdup2 (entry, sizeof *entry);

  copy->id = g_strdup (entry->id);
  copy->recipients = g_strdupv (entry->recipients);
  copy->last_error = g_strdup (entry->last_error);
  copy->queue_id = g_strdup (entry->queue_id);
  copy->subject = g_strdup (entry->subject);

  return copy;
}

/**
 * cachet_outbox_new:
 * @dir: the account's outbox folder, created on first use
 *
 * Returns: (transfer full): the outbox
 */
CachetOutbox *
cachet_outbox_new (const char *dir)
{
  CachetOutbox *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (CACHET_TYPE_OUTBOX, NULL);
  self->dir = g_strdup (dir);

  return self;
}

/**
 * cachet_outbox_new_for_account:
 * @account_id: the id of an account
 *
 * Returns: (transfer full): the account's outbox, beside its local mail
 */
CachetOutbox *
cachet_outbox_new_for_account (const char *account_id)
{
  g_autofree char *dir = g_build_filename (cachet_paths_get_data_dir (), "accounts", account_id, "outbox", NULL);

  return cachet_outbox_new (dir);
}

/**
 * cachet_outbox_get_dir:
 *
 * Returns: (transfer none): the outbox folder, which may not exist yet
 */
const char *
cachet_outbox_get_dir (CachetOutbox *self)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX (self), NULL);

  return self->dir;
}

static char *
entry_path (CachetOutbox *self,
            const char   *id,
            const char   *extension)
{
  g_autofree char *name = g_strconcat (id, extension, NULL);

  return g_build_filename (self->dir, name, NULL);
}

static gboolean
write_durably (const char  *path,
               const char  *data,
               gsize        length,
               GError     **error)
{
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

static gboolean
save_state (CachetOutbox       *self,
            CachetOutboxEntry  *entry,
            GError            **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = entry_path (self, entry->id, ".state");
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_string (keyfile, STATE_GROUP, "State", cachet_outbox_state_to_string (entry->state));
  g_key_file_set_string_list (keyfile, STATE_GROUP, "Recipients",
                              (const char * const *) entry->recipients,
                              g_strv_length (entry->recipients));
  g_key_file_set_uint64 (keyfile, STATE_GROUP, "Attempts", entry->attempts);
  g_key_file_set_int64 (keyfile, STATE_GROUP, "NextAttempt", entry->next_attempt);
  g_key_file_set_int64 (keyfile, STATE_GROUP, "Created", entry->created);
  if (entry->last_error != NULL)
    g_key_file_set_string (keyfile, STATE_GROUP, "LastError", entry->last_error);
  if (entry->queue_id != NULL)
    g_key_file_set_string (keyfile, STATE_GROUP, "QueueId", entry->queue_id);
  g_key_file_set_string (keyfile, STATE_GROUP, "Subject", entry->subject);

  data = g_key_file_to_data (keyfile, &length, NULL);
  if (!write_durably (path, data, length, error))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* Kept in the state file so that listing the outbox never parses messages. */
static char *
subject_of_message (GBytes *message)
{
  g_autoptr(CachetMessageSummary) summary = cachet_message_summary_new_from_bytes (message, NULL);

  if (summary == NULL || summary->subject == NULL)
    return g_strdup ("");
  return g_steal_pointer (&summary->subject);
}

static gboolean
ensure_dir (CachetOutbox  *self,
            GError       **error)
{
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the outbox folder: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_outbox_enqueue:
 * @message: the message, exactly as it will be sent
 * @recipients: the envelope recipients
 * @error: return location for a #GError
 *
 * Keeps a message durably until it is sent. Once this returns, a crash or a
 * power cut cannot lose the message.
 *
 * Returns: (transfer full) (nullable): the new entry, queued and due now
 */
CachetOutboxEntry *
cachet_outbox_enqueue (CachetOutbox        *self,
                       GBytes              *message,
                       const char * const  *recipients,
                       GError             **error)
{
  g_autoptr(CachetOutboxEntry) entry = g_new0 (CachetOutboxEntry, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *message_path = NULL;

  g_return_val_if_fail (CACHET_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (recipients != NULL && recipients[0] != NULL, NULL);

  if (!ensure_dir (self, error))
    return NULL;

  /* Sorted by time of sending, unique without any coordination. */
  entry->id = g_strdup_printf ("%s-%08x%08x", stamp, g_random_int (), g_random_int ());
  entry->state = CACHET_OUTBOX_QUEUED;
  entry->recipients = g_strdupv ((char **) recipients);
  entry->created = g_date_time_to_unix (now);
  entry->next_attempt = entry->created;
  entry->subject = subject_of_message (message);

  message_path = entry_path (self, entry->id, ".eml");
  if (!write_durably (message_path, g_bytes_get_data (message, NULL), g_bytes_get_size (message), error))
    return NULL;
  if (!save_state (self, entry, error))
    {
      g_unlink (message_path);
      return NULL;
    }

  return g_steal_pointer (&entry);
}

static CachetOutboxEntry *
load_entry (CachetOutbox  *self,
            const char    *id,
            GError       **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(CachetOutboxEntry) entry = g_new0 (CachetOutboxEntry, 1);
  g_autofree char *path = entry_path (self, id, ".state");
  g_autofree char *state = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error))
    return NULL;

  entry->id = g_strdup (id);
  state = g_key_file_get_string (keyfile, STATE_GROUP, "State", NULL);
  entry->recipients = g_key_file_get_string_list (keyfile, STATE_GROUP, "Recipients", NULL, NULL);
  if (!state_from_string (state, &entry->state) || entry->recipients == NULL || entry->recipients[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The outbox entry “%s” is damaged"), id);
      return NULL;
    }
  entry->attempts = g_key_file_get_uint64 (keyfile, STATE_GROUP, "Attempts", NULL);
  entry->next_attempt = g_key_file_get_int64 (keyfile, STATE_GROUP, "NextAttempt", NULL);
  entry->created = g_key_file_get_int64 (keyfile, STATE_GROUP, "Created", NULL);
  entry->last_error = g_key_file_get_string (keyfile, STATE_GROUP, "LastError", NULL);
  entry->queue_id = g_key_file_get_string (keyfile, STATE_GROUP, "QueueId", NULL);
  entry->subject = g_key_file_get_string (keyfile, STATE_GROUP, "Subject", NULL);
  /* Entries queued before subjects were recorded. */
  if (entry->subject == NULL)
    {
      g_autoptr(GBytes) message = cachet_outbox_load_message (self, id, NULL);

      entry->subject = message != NULL ? subject_of_message (message) : g_strdup ("");
    }

  return g_steal_pointer (&entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CachetOutboxEntry *entry_a = *(CachetOutboxEntry **) a;
  const CachetOutboxEntry *entry_b = *(CachetOutboxEntry **) b;

  return strcmp (entry_a->id, entry_b->id);
}

/* Removes @name from the outbox directory if nothing has written it for
 * long: a write in progress is never that old. */
static void
remove_if_abandoned (CachetOutbox *self,
                     const char   *name)
{
  g_autofree char *path = g_build_filename (self->dir, name, NULL);
  GStatBuf buf;

  if (g_lstat (path, &buf) == 0 && S_ISREG (buf.st_mode) &&
      (gint64) buf.st_mtime < g_get_real_time () / G_USEC_PER_SEC - ABANDONED_SECONDS)
    g_unlink (path);
}

/**
 * cachet_outbox_list:
 * @error: return location for a #GError
 *
 * Lists the messages waiting, oldest first. Half-written entries left by a
 * crash are cleaned up on the way.
 *
 * Returns: (transfer full) (element-type CachetOutboxEntry): the entries, or
 *   %NULL on error
 */
GPtrArray *
cachet_outbox_list (CachetOutbox  *self,
                    GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_outbox_entry_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (CACHET_IS_OUTBOX (self), NULL);

  dir = g_dir_open (self->dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&entries);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;
      g_autofree char *state_path = NULL;
      CachetOutboxEntry *entry;

      /* A state without its message: the message was cancelled while a
       * flush still held its entry. */
      if (g_str_has_suffix (name, ".state"))
        {
          g_autofree char *orphan_id = g_strndup (name, strlen (name) - strlen (".state"));
          g_autofree char *orphan_message_path = entry_path (self, orphan_id, ".eml");

          if (!g_file_test (orphan_message_path, G_FILE_TEST_EXISTS))
            {
              g_autofree char *orphan_path = g_build_filename (self->dir, name, NULL);

              g_unlink (orphan_path);
            }
          continue;
        }
      /* The temporary file of a write a crash interrupted. */
      if (!g_str_has_suffix (name, ".eml"))
        {
          remove_if_abandoned (self, name);
          continue;
        }
      id = g_strndup (name, strlen (name) - strlen (".eml"));
      state_path = entry_path (self, id, ".state");
      /* A message being queued right now, by this process or another; or
       * one whose queueing a crash interrupted, which its sender was never
       * told was queued. */
      if (!g_file_test (state_path, G_FILE_TEST_EXISTS))
        {
          remove_if_abandoned (self, name);
          continue;
        }

      entry = load_entry (self, id, error);
      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_entries);

  return g_steal_pointer (&entries);
}

/**
 * cachet_outbox_load_message:
 *
 * Returns: (transfer full) (nullable): the message of an entry
 */
GBytes *
cachet_outbox_load_message (CachetOutbox  *self,
                            const char    *id,
                            GError       **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (CACHET_IS_OUTBOX (self), NULL);

  path = entry_path (self, id, ".eml");
  file = g_file_new_for_path (path);
  return g_file_load_bytes (file, NULL, NULL, error);
}

/**
 * cachet_outbox_mark_sending:
 *
 * Records that the message is about to be handed to the SMTP server. An entry
 * found in this state after a restart may or may not have been accepted:
 * it is sent again, since a duplicate is better than a lost message.
 */
gboolean
cachet_outbox_mark_sending (CachetOutbox       *self,
                            CachetOutboxEntry  *entry,
                            GError            **error)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  entry->state = CACHET_OUTBOX_SENDING;
  entry->attempts++;
  return save_state (self, entry, error);
}

gboolean
cachet_outbox_mark_accepted (CachetOutbox       *self,
                             CachetOutboxEntry  *entry,
                             const char         *queue_id,
                             GError            **error)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  entry->state = CACHET_OUTBOX_ACCEPTED;
  g_free (entry->queue_id);
  entry->queue_id = g_strdup (queue_id);
  g_clear_pointer (&entry->last_error, g_free);
  return save_state (self, entry, error);
}

/**
 * cachet_outbox_mark_retry:
 * @reason: what went wrong, for the user
 * @now: the current time, in seconds since the epoch
 *
 * Puts the entry back in the queue after a temporary failure, with a growing
 * wait before the next attempt.
 */
gboolean
cachet_outbox_mark_retry (CachetOutbox       *self,
                          CachetOutboxEntry  *entry,
                          const char         *reason,
                          gint64              now,
                          GError            **error)
{
  guint delay_index;

  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  delay_index = MIN (entry->attempts > 0 ? entry->attempts - 1 : 0, G_N_ELEMENTS (retry_delays) - 1);
  /* A message accepted but not yet copied to Sent stays accepted. */
  if (entry->state != CACHET_OUTBOX_ACCEPTED)
    entry->state = CACHET_OUTBOX_QUEUED;
  entry->next_attempt = now + retry_delays[delay_index];
  g_free (entry->last_error);
  entry->last_error = g_strdup (reason);
  return save_state (self, entry, error);
}

gboolean
cachet_outbox_mark_failed (CachetOutbox       *self,
                           CachetOutboxEntry  *entry,
                           const char         *reason,
                           GError            **error)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  entry->state = CACHET_OUTBOX_FAILED;
  g_free (entry->last_error);
  entry->last_error = g_strdup (reason);
  return save_state (self, entry, error);
}

/**
 * cachet_outbox_retry_now:
 *
 * Makes a waiting or failed message due now, at the user's request. Its
 * count of attempts is kept, so that the wait after a new failure still
 * grows.
 *
 * Returns: %FALSE if the message is being sent or already sent
 */
gboolean
cachet_outbox_retry_now (CachetOutbox       *self,
                         CachetOutboxEntry  *entry,
                         GError            **error)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  switch (entry->state)
    {
    case CACHET_OUTBOX_QUEUED:
    case CACHET_OUTBOX_FAILED:
      entry->state = CACHET_OUTBOX_QUEUED;
      entry->next_attempt = g_get_real_time () / G_USEC_PER_SEC;
      return save_state (self, entry, error);
    case CACHET_OUTBOX_ACCEPTED:
      /* Sent already: the copy to Sent is tried on the next flush anyway. */
      entry->next_attempt = g_get_real_time () / G_USEC_PER_SEC;
      return save_state (self, entry, error);
    case CACHET_OUTBOX_SENDING:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("The message is being sent right now; wait for the server’s answer"));
      return FALSE;
    }
}

/**
 * cachet_outbox_cancel:
 *
 * Deletes a message that was not sent, at the user's request.
 *
 * Returns: %FALSE if the message is being sent or was already accepted by the
 *   server, since it cannot be called back then
 */
gboolean
cachet_outbox_cancel (CachetOutbox       *self,
                      CachetOutboxEntry  *entry,
                      GError            **error)
{
  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  if (entry->state == CACHET_OUTBOX_SENDING || entry->state == CACHET_OUTBOX_ACCEPTED)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   entry->state == CACHET_OUTBOX_SENDING
                   ? _("The message is being sent right now and can no longer be cancelled")
                   : _("The message was already sent and can no longer be cancelled"));
      return FALSE;
    }
  return cachet_outbox_remove (self, entry, error);
}

/**
 * cachet_outbox_remove:
 *
 * Removes an entry, once its message is sent and copied to Sent, or when the
 * user gives up on a failed one.
 */
gboolean
cachet_outbox_remove (CachetOutbox       *self,
                      CachetOutboxEntry  *entry,
                      GError            **error)
{
  g_autofree char *state_path = NULL;
  g_autofree char *message_path = NULL;

  g_return_val_if_fail (CACHET_IS_OUTBOX (self), FALSE);

  state_path = entry_path (self, entry->id, ".state");
  message_path = entry_path (self, entry->id, ".eml");
  /* The message first: a state left alone by a crash is known debris that
   * the next listing removes, while a message without its state could be
   * one being queued. */
  if ((g_unlink (message_path) != 0 && errno != ENOENT) ||
      (g_unlink (state_path) != 0 && errno != ENOENT))
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot remove a message from the outbox: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * cachet_outbox_entry_is_due:
 * @now: the current time, in seconds since the epoch
 *
 * Returns: whether sending (or copying to Sent) should be tried now
 */
gboolean
cachet_outbox_entry_is_due (const CachetOutboxEntry *entry,
                            gint64                   now)
{
  switch (entry->state)
    {
    case CACHET_OUTBOX_QUEUED:
    case CACHET_OUTBOX_ACCEPTED:
      return entry->next_attempt <= now;
    case CACHET_OUTBOX_SENDING:
      /* Interrupted while sending: try again. */
      return TRUE;
    case CACHET_OUTBOX_FAILED:
    default:
      return FALSE;
    }
}

static void
cachet_outbox_finalize (GObject *object)
{
  CachetOutbox *self = CACHET_OUTBOX (object);

  g_clear_pointer (&self->dir, g_free);

  G_OBJECT_CLASS (cachet_outbox_parent_class)->finalize (object);
}

static void
cachet_outbox_class_init (CachetOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_outbox_finalize;

  /**
   * CachetOutbox::changed:
   *
   * A message was queued, changed state or left, through this object.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
cachet_outbox_init (CachetOutbox *self)
{
}
