/* cachet-lab-mail-import.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-lab-detect.h"
#include "cachet-lab-filer.h"
#include "cachet-lab-mail-import.h"
#include "cachet-mime.h"

/* Files the lab results of the messages a folder of the local store holds,
 * and tells the other workstations of the practice, through the IMAP server,
 * that it did.
 *
 * A message is filed first (the filer's journal commits after the files),
 * then given CACHET_LAB_FILED_KEYWORD with cachet_store_apply_action(): the
 * keyword is in the local index at once and reaches the server at the next
 * sync, as a STORE +FLAGS. Adding a keyword never overwrites what another
 * workstation changed on the same message (the server adds it to whatever
 * flags are there), so no UNCHANGEDSINCE is needed to make it safe; two
 * workstations adding it twice is harmless. A message that already carries
 * the keyword when it is synced is skipped unread. Where the server keeps no
 * keywords, or between a filing and the next sync of the other
 * workstations, the filer's journal is what keeps a result from being filed
 * twice by one workstation; nothing is ever deleted on the server.
 *
 * Which messages were examined is remembered per folder and UIDVALIDITY
 * (the highest UID read, in order), next to the store: an import after
 * each sync then reads only what the sync brought, instead of parsing the
 * whole inbox again for the messages that hold no lab result.
 *
 * One message can also be filed on demand, whatever that progress says and
 * whether or not the account imports after its syncs: the user asked for
 * that message, so even the keyword of another workstation does not stop
 * it, and the journal still files nothing twice. */

#define EXAMINED_FILE      "labs-examined.ini"
#define KEY_UIDVALIDITY    "UIDValidity"
#define KEY_LAST_UID       "LastUid"

struct _CachetLabMailImport
{
  GObject          parent_instance;

  CachetStore     *store;
  char            *journal_path;
  char            *archive_dir;
  char            *inbox_dir;
  /* Set before a run, read by the run's thread. */
  CachetLabLayout  layout;
};

G_DEFINE_FINAL_TYPE (CachetLabMailImport, cachet_lab_mail_import, G_TYPE_OBJECT)

/* Two imports of one folder at once would read the same messages and record
 * each result a second time, as a duplicate: imports wait for each other.
 * Another process cannot open the same store. */
static GMutex import_lock;

/**
 * cachet_lab_mail_import_new:
 * @store: the account's store
 * @journal_path: (nullable): the import journal, or %NULL for the default
 * @archive_dir: (nullable): the per-patient archive, or %NULL for the default
 * @inbox_dir: (nullable): the practice software's inbox folder, or %NULL
 *
 * The filer is opened by each run, in its thread.
 *
 * Returns: (transfer full): an import for the folders of @store
 */
CachetLabMailImport *
cachet_lab_mail_import_new (CachetStore *store,
                            const char  *journal_path,
                            const char  *archive_dir,
                            const char  *inbox_dir)
{
  CachetLabMailImport *self;

  g_return_val_if_fail (CACHET_IS_STORE (store), NULL);

  self = g_object_new (CACHET_TYPE_LAB_MAIL_IMPORT, NULL);
  self->store = g_object_ref (store);
  self->journal_path = journal_path != NULL ? g_strdup (journal_path) : cachet_lab_filer_dup_default_journal ();
  self->archive_dir = archive_dir != NULL ? g_strdup (archive_dir) : cachet_lab_filer_dup_default_archive ();
  self->inbox_dir = g_strdup (inbox_dir);
  return self;
}

/**
 * cachet_lab_mail_import_set_layout:
 * @layout: how the filer lays out what it writes
 *
 * Applies to the runs started after the call.
 */
void
cachet_lab_mail_import_set_layout (CachetLabMailImport *self,
                                   CachetLabLayout      layout)
{
  g_return_if_fail (CACHET_IS_LAB_MAIL_IMPORT (self));
  self->layout = layout;
}

static char *
dup_examined_path (CachetLabMailImport *self)
{
  return g_build_filename (cachet_store_get_account_dir (self->store), EXAMINED_FILE, NULL);
}

/* The highest UID of @folder already examined; 0 when the folder was
 * renumbered since, or never examined. */
static guint32
load_last_examined (CachetLabMailImport *self,
                    GKeyFile            *examined,
                    const char          *folder,
                    guint32              uidvalidity)
{
  g_autofree char *path = dup_examined_path (self);
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (examined, path, G_KEY_FILE_NONE, &error))
    {
      /* Losing the file only means reading the folder again. */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("The list of messages examined for lab results is unreadable, it is started again: %s",
                   error->message);
      return 0;
    }
  if (g_key_file_get_uint64 (examined, folder, KEY_UIDVALIDITY, NULL) != uidvalidity)
    return 0;
  return (guint32) MIN (g_key_file_get_uint64 (examined, folder, KEY_LAST_UID, NULL), G_MAXUINT32);
}

static gboolean
save_last_examined (CachetLabMailImport  *self,
                    GKeyFile             *examined,
                    const char           *folder,
                    guint32               uidvalidity,
                    guint32               last_uid,
                    GError              **error)
{
  g_autofree char *path = dup_examined_path (self);
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_uint64 (examined, folder, KEY_UIDVALIDITY, uidvalidity);
  g_key_file_set_uint64 (examined, folder, KEY_LAST_UID, last_uid);
  data = g_key_file_to_data (examined, &length, NULL);
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Files the lab results @raw holds, each with the message's PDF when it
 * embeds none. @found says whether there was any: a message that holds none
 * (or only a PDF, which says nothing on its own) is left alone. */
static gboolean
import_message (CachetLabFiler  *filer,
                GBytes          *raw,
                const char      *sender,
                GPtrArray       *entries,
                gboolean        *found,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GMimeMessage) message = cachet_mime_parse_message (raw, NULL);
  g_autoptr(GPtrArray) candidates = NULL;
  GBytes *pdf = NULL;

  *found = FALSE;
  if (message == NULL)
    return TRUE;
  candidates = cachet_lab_find_in_message (message);
  for (guint i = 0; i < candidates->len && pdf == NULL; i++)
    {
      CachetLabCandidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate->format == CACHET_LAB_FORMAT_PDF)
        pdf = candidate->bytes;
    }
  for (guint i = 0; i < candidates->len; i++)
    {
      CachetLabCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autoptr(GPtrArray) filed = NULL;

      if (candidate->format == CACHET_LAB_FORMAT_PDF)
        continue;
      filed = cachet_lab_filer_import (filer, candidate->bytes, candidate->file_name, sender, pdf,
                                       cancellable, error);
      if (filed == NULL)
        return FALSE;
      g_ptr_array_extend_and_steal (entries, g_steal_pointer (&filed));
      *found = TRUE;
    }
  return TRUE;
}

static gboolean
tag_message (CachetLabMailImport  *self,
             const char           *folder,
             guint32               uidvalidity,
             guint32               uid,
             GError              **error)
{
  g_autoptr(CachetPendingAction) action = cachet_pending_action_new (CACHET_PENDING_ACTION_ADD_FLAGS, folder);

  action->uidvalidity = uidvalidity;
  g_array_append_val (action->uids, uid);
  action->keywords = g_new0 (char *, 2);
  action->keywords[0] = g_strdup (CACHET_LAB_FILED_KEYWORD);
  return cachet_store_apply_action (self->store, action, NULL, error) != 0;
}

static CachetLabFiler *
open_filer (CachetLabMailImport  *self,
            GError              **error)
{
  g_autoptr(CachetLabFiler) filer = cachet_lab_filer_new (self->journal_path, self->archive_dir,
                                                          self->inbox_dir, error);

  if (filer == NULL)
    return NULL;
  cachet_lab_filer_set_layout (filer, self->layout);
  return g_steal_pointer (&filer);
}

/* Reads the message of @info and files its lab results, then tags it,
 * unless it carries the keyword already: a message filed again on demand
 * needs no second STORE. @found says whether it held any lab result. */
static gboolean
file_message (CachetLabMailImport  *self,
              CachetLabFiler       *filer,
              const char           *folder,
              guint32               uidvalidity,
              CachetMessageInfo    *info,
              GPtrArray            *entries,
              CachetLabMailReport  *report,
              gboolean             *found,
              GCancellable         *cancellable,
              GError              **error)
{
  guint32 uid = cachet_message_info_get_uid (info);
  g_autoptr(GBytes) raw = NULL;

  raw = cachet_store_load_message (self->store, folder, uid, cancellable, error);
  if (raw == NULL)
    return FALSE;
  report->examined++;
  if (!import_message (filer, raw, cachet_message_info_get_from_address (info), entries, found,
                       cancellable, error))
    return FALSE;
  if (!*found || cachet_message_info_has_keyword (info, CACHET_LAB_FILED_KEYWORD))
    return TRUE;
  if (!tag_message (self, folder, uidvalidity, uid, error))
    return FALSE;
  report->tagged++;
  return TRUE;
}

/* Examines one message of a folder run; FALSE stops the run there, so that
 * the next one starts again from this message. */
static gboolean
examine_message (CachetLabMailImport  *self,
                 CachetLabFiler       *filer,
                 const char           *folder,
                 guint32               uidvalidity,
                 guint32               uid,
                 GPtrArray            *entries,
                 CachetLabMailReport  *report,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean found;

  info = cachet_store_get_message (self->store, folder, uid, &local_error);
  if (info == NULL)
    {
      /* Gone since the UIDs were listed: nothing left to file. */
      if (g_error_matches (local_error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (cachet_message_info_has_keyword (info, CACHET_LAB_FILED_KEYWORD))
    {
      report->skipped++;
      return TRUE;
    }
  return file_message (self, filer, folder, uidvalidity, info, entries, report, &found, cancellable, error);
}

/* The run proper, the import lock held. */
static gboolean
import_folder (CachetLabMailImport  *self,
               const char           *folder,
               GPtrArray            *entries,
               CachetLabMailReport  *report,
               GCancellable         *cancellable,
               GError              **error)
{
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GKeyFile) examined = g_key_file_new ();
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GError) local_error = NULL;
  guint32 last_uid;
  guint32 reached;

  info = cachet_store_get_folder (self->store, folder, &local_error);
  if (info == NULL)
    {
      /* Not synced yet: nothing to file. */
      if (g_error_matches (local_error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  uids = cachet_store_list_uids (self->store, folder, info->uidvalidity, error);
  if (uids == NULL)
    return FALSE;
  reached = last_uid = load_last_examined (self, examined, folder, info->uidvalidity);
  if (uids->len == 0 || g_array_index (uids, guint32, uids->len - 1) <= last_uid)
    return TRUE;

  if ((filer = open_filer (self, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < uids->len && local_error == NULL; i++)
    {
      guint32 uid = g_array_index (uids, guint32, i);

      if (uid <= last_uid || g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        continue;
      if (examine_message (self, filer, folder, info->uidvalidity, uid, entries, report, cancellable,
                           &local_error))
        reached = uid;
    }
  /* What was done before a failure counts: it is not read again. */
  if (reached != last_uid &&
      !save_last_examined (self, examined, folder, info->uidvalidity, reached,
                           local_error == NULL ? &local_error : NULL))
    g_debug ("Progress of the lab import not saved: its messages will be examined again");
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_lab_mail_import_run:
 * @folder: a folder of the store, usually INBOX
 * @report: (out caller-allocates) (optional): what was done
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Files the lab results of the messages of @folder not examined before on
 * this computer and not tagged by another workstation, in UID order. A
 * failure (the archive unreachable, the disk full) stops the run at that
 * message, which the next run reads again. Blocking: call from a worker,
 * or use cachet_lab_mail_import_run_async().
 *
 * Returns: (transfer full) (element-type CachetLabJournalEntry): the journal
 *   entries the results gave, or %NULL on error
 */
GPtrArray *
cachet_lab_mail_import_run (CachetLabMailImport  *self,
                            const char           *folder,
                            CachetLabMailReport  *report,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  CachetLabMailReport counts = { 0 };

  g_return_val_if_fail (CACHET_IS_LAB_MAIL_IMPORT (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&import_lock);
  if (!import_folder (self, folder, entries, &counts, cancellable, error))
    return NULL;
  if (report != NULL)
    *report = counts;
  return g_steal_pointer (&entries);
}

/* The on-demand import proper, the import lock held. */
static gboolean
import_one (CachetLabMailImport  *self,
            const char           *folder,
            guint32               uid,
            GPtrArray            *entries,
            CachetLabMailReport  *report,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr(CachetFolderInfo) folder_info = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(CachetLabFiler) filer = NULL;
  gboolean found;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if ((folder_info = cachet_store_get_folder (self->store, folder, error)) == NULL
      || (info = cachet_store_get_message (self->store, folder, uid, error)) == NULL
      || (filer = open_filer (self, error)) == NULL)
    return FALSE;
  if (!file_message (self, filer, folder, folder_info->uidvalidity, info, entries, report, &found,
                     cancellable, error))
    return FALSE;
  if (!found)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_NO_RESULT,
                           _("No lab result found in this message"));
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_lab_mail_import_message:
 * @folder: the folder of the store that holds the message
 * @uid: the message's UID in @folder
 * @report: (out caller-allocates) (optional): what was done
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Files the lab results of one message, at the user's request: whether or
 * not a run examined it before, and even when another workstation tagged
 * it. What the journal has already is reported as duplicates, not filed
 * again. The message is tagged with %CACHET_LAB_FILED_KEYWORD unless it has
 * it already. Leaves the progress of cachet_lab_mail_import_run() alone.
 * Blocking: call from a worker, or use
 * cachet_lab_mail_import_message_async().
 *
 * A message with no lab result gives %CACHET_LABS_ERROR_NO_RESULT; a
 * message no longer in the store gives %CACHET_STORE_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full) (element-type CachetLabJournalEntry): the journal
 *   entries the results gave, at least one, or %NULL on error
 */
GPtrArray *
cachet_lab_mail_import_message (CachetLabMailImport  *self,
                                const char           *folder,
                                guint32               uid,
                                CachetLabMailReport  *report,
                                GCancellable         *cancellable,
                                GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  CachetLabMailReport counts = { 0 };

  g_return_val_if_fail (CACHET_IS_LAB_MAIL_IMPORT (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (uid != 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&import_lock);
  if (!import_one (self, folder, uid, entries, &counts, cancellable, error))
    return NULL;
  if (report != NULL)
    *report = counts;
  return g_steal_pointer (&entries);
}

typedef struct
{
  char                *folder;
  /* 0 for a run over the folder: no message has UID 0. */
  guint32              uid;
  CachetLabMailReport  report;
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->folder);
  g_free (data);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  GError *error = NULL;
  GPtrArray *entries;

  if (data->uid != 0)
    entries = cachet_lab_mail_import_message (source_object, data->folder, data->uid, &data->report,
                                              cancellable, &error);
  else
    entries = cachet_lab_mail_import_run (source_object, data->folder, &data->report, cancellable, &error);
  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
start_in_thread (CachetLabMailImport *self,
                 const char          *folder,
                 guint32              uid,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RunData *data = g_new0 (RunData, 1);

  data->folder = g_strdup (folder);
  data->uid = uid;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_thread);
}

static GPtrArray *
finish_in_thread (CachetLabMailImport  *self,
                  GAsyncResult         *result,
                  gpointer              source_tag,
                  CachetLabMailReport  *report,
                  GError              **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  entries = g_task_propagate_pointer (G_TASK (result), error);
  if (entries != NULL && report != NULL)
    *report = ((RunData *) g_task_get_task_data (G_TASK (result)))->report;
  return entries;
}

/**
 * cachet_lab_mail_import_run_async:
 * @folder: a folder of the store, usually INBOX
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the import is done
 * @user_data: data for @callback
 *
 * Runs cachet_lab_mail_import_run() in a worker thread.
 */
void
cachet_lab_mail_import_run_async (CachetLabMailImport *self,
                                  const char          *folder,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CACHET_IS_LAB_MAIL_IMPORT (self));
  g_return_if_fail (folder != NULL);

  start_in_thread (self, folder, 0, cachet_lab_mail_import_run_async, cancellable, callback, user_data);
}

/**
 * cachet_lab_mail_import_run_finish:
 * @result: the result given to the callback
 * @report: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetLabJournalEntry): the journal
 *   entries the results gave, or %NULL on error
 */
GPtrArray *
cachet_lab_mail_import_run_finish (CachetLabMailImport  *self,
                                   GAsyncResult         *result,
                                   CachetLabMailReport  *report,
                                   GError              **error)
{
  return finish_in_thread (self, result, cachet_lab_mail_import_run_async, report, error);
}

/**
 * cachet_lab_mail_import_message_async:
 * @folder: the folder of the store that holds the message
 * @uid: the message's UID in @folder
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the import is done
 * @user_data: data for @callback
 *
 * Runs cachet_lab_mail_import_message() in a worker thread.
 */
void
cachet_lab_mail_import_message_async (CachetLabMailImport *self,
                                      const char          *folder,
                                      guint32              uid,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (CACHET_IS_LAB_MAIL_IMPORT (self));
  g_return_if_fail (folder != NULL);
  g_return_if_fail (uid != 0);

  start_in_thread (self, folder, uid, cachet_lab_mail_import_message_async, cancellable, callback,
                   user_data);
}

/**
 * cachet_lab_mail_import_message_finish:
 * @result: the result given to the callback
 * @report: (out caller-allocates) (optional): what was done
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetLabJournalEntry): the journal
 *   entries the results gave, at least one, or %NULL on error, which is
 *   %CACHET_LABS_ERROR_NO_RESULT for a message with no lab result
 */
GPtrArray *
cachet_lab_mail_import_message_finish (CachetLabMailImport  *self,
                                       GAsyncResult         *result,
                                       CachetLabMailReport  *report,
                                       GError              **error)
{
  return finish_in_thread (self, result, cachet_lab_mail_import_message_async, report, error);
}

static void
cachet_lab_mail_import_finalize (GObject *object)
{
  CachetLabMailImport *self = CACHET_LAB_MAIL_IMPORT (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->journal_path, g_free);
  g_clear_pointer (&self->archive_dir, g_free);
  g_clear_pointer (&self->inbox_dir, g_free);

  G_OBJECT_CLASS (cachet_lab_mail_import_parent_class)->finalize (object);
}

static void
cachet_lab_mail_import_class_init (CachetLabMailImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_mail_import_finalize;
}

static void
cachet_lab_mail_import_init (CachetLabMailImport *self)
{
}
