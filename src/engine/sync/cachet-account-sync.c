/* cachet-account-sync.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-account-session.h"
#include "cachet-account-sync.h"
#include "cachet-action-replay.h"
#include "cachet-imap-mailbox.h"
#include "cachet-imap-session.h"
#include "cachet-sync-helpers.h"

/* Brings an account's local store up to its IMAP server: first the actions
 * the user took offline are replayed (cachet-action-replay.c), then every
 * folder: new messages downloaded (each one durable before its row),
 * messages gone from the server removed, flags brought up to date. Past the
 * replay, it only reads the server.
 *
 * The whole run happens in a worker thread, on a main context of its own:
 * storing a message fsyncs, which must not stall the window. The IMAP session
 * is asynchronous; here each call is awaited in turn, which keeps the steps
 * readable in the order they happen. An interrupted run resumes where it
 * stopped: what is stored is never fetched again. */

/* Messages fetched per command: enough to pipeline, few enough that an
 * interruption loses little and memory stays small. */
#define FETCH_BATCH 50

struct _CachetAccountSync
{
  GObject                    parent_instance;

  CachetAccount             *account;
  CachetCredentialsProvider *credentials;
  CachetStore               *store;
};

G_DEFINE_FINAL_TYPE (CachetAccountSync, cachet_account_sync, G_TYPE_OBJECT)

typedef struct
{
  GMainContext     *context;
  GCancellable     *cancellable;
  CachetImapSession *session;
  CachetSyncReport  report;
} Run;

/**
 * cachet_account_sync_new:
 * @account: the account
 * @credentials: where its password is
 * @store: its local store
 *
 * Returns: (transfer full): a sync for @account
 */
CachetAccountSync *
cachet_account_sync_new (CachetAccount             *account,
                         CachetCredentialsProvider *credentials,
                         CachetStore               *store)
{
  CachetAccountSync *self = g_object_new (CACHET_TYPE_ACCOUNT_SYNC, NULL);

  self->account = g_object_ref (account);
  self->credentials = g_object_ref (credentials);
  self->store = g_object_ref (store);

  return self;
}

static char *
special_use_name (CachetImapMailboxInfo *mailbox)
{
  CachetImapSpecialUse use = cachet_imap_mailbox_info_get_special_use (mailbox);

  return use == CACHET_IMAP_SPECIAL_USE_NONE ? NULL : g_strdup (cachet_imap_special_use_to_string (use));
}

typedef struct
{
  Run              *run;
  CachetStoreBatch *batch;
  guint             stored;
  GError           *error;
} Download;

/* Called for each message as it arrives, in the worker thread: the batch
 * has its file written while the next ones arrive, its row comes with the
 * rest of the batch. */
static void
store_fetched_message (CachetImapFetchResult *result,
                       gpointer               user_data)
{
  Download *download = user_data;
  g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (g_free);
  GDateTime *internal_date;
  CachetMessageFlags flags;
  GBytes *body = cachet_imap_fetch_result_get_body (result);
  gboolean stored;

  if (download->error != NULL || body == NULL)
    return;

  flags = cachet_sync_flags_from_imap (cachet_imap_fetch_result_get_flags (result), keywords);
  g_ptr_array_add (keywords, NULL);
  internal_date = cachet_imap_fetch_result_get_internaldate (result);
  if (cachet_store_batch_add (download->batch, cachet_imap_fetch_result_get_uid (result), body, flags,
                              (const char * const *) keywords->pdata,
                              internal_date != NULL ? g_date_time_to_unix (internal_date) : 0,
                              cachet_imap_fetch_result_get_modseq (result), &stored,
                              download->run->cancellable, &download->error) && stored)
    download->stored++;
}

static gboolean
fetch_new_messages (CachetAccountSync  *self,
                    Run                *run,
                    const char         *folder,
                    guint32             uidvalidity,
                    GArray             *uids,
                    GError            **error)
{
  for (guint first = 0; first < uids->len; first += FETCH_BATCH)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) fetched = NULL;
      g_autoptr(CachetStoreBatch) batch = NULL;
      g_autoptr(GError) fetch_error = NULL;
      Download download = { run, NULL, 0, NULL };

      batch = cachet_store_batch_new (self->store, folder, uidvalidity, run->cancellable, error);
      if (batch == NULL)
        return FALSE;
      download.batch = batch;
      cachet_imap_session_uid_fetch_async (run->session, &g_array_index (uids, guint32, first),
                                           MIN (FETCH_BATCH, uids->len - first),
                                           CACHET_IMAP_FETCH_FLAGS | CACHET_IMAP_FETCH_INTERNALDATE |
                                           CACHET_IMAP_FETCH_MODSEQ | CACHET_IMAP_FETCH_BODY,
                                           "", store_fetched_message, &download, NULL,
                                           run->cancellable, cachet_sync_result_cb, &result);
      fetched = cachet_imap_session_uid_fetch_finish (run->session, cachet_sync_wait (run->context, &result),
                                                      &fetch_error);
      /* What arrived before a failure is kept. */
      cachet_store_batch_commit (batch, download.error == NULL ? &download.error : NULL);
      if (download.error != NULL)
        {
          g_propagate_error (error, download.error);
          return FALSE;
        }
      run->report.added += download.stored;
      if (fetched == NULL && fetch_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&fetch_error));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_flag_changes (CachetAccountSync  *self,
                    Run                *run,
                    const char         *folder,
                    guint32             uidvalidity,
                    GPtrArray          *changes,
                    GError            **error)
{
  g_autoptr(GArray) updates = g_array_new (FALSE, TRUE, sizeof (CachetFlagUpdate));
  g_autoptr(GPtrArray) keyword_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < changes->len; i++)
    {
      CachetImapFetchResult *change = g_ptr_array_index (changes, i);
      GPtrArray *keywords = g_ptr_array_new_with_free_func (g_free);
      CachetFlagUpdate update = { 0 };

      if ((cachet_imap_fetch_result_get_items (change) & CACHET_IMAP_FETCH_FLAGS) == 0)
        {
          g_ptr_array_unref (keywords);
          continue;
        }
      update.uid = cachet_imap_fetch_result_get_uid (change);
      update.flags = cachet_sync_flags_from_imap (cachet_imap_fetch_result_get_flags (change), keywords);
      g_ptr_array_add (keywords, NULL);
      update.keywords = (const char * const *) keywords->pdata;
      update.modseq = cachet_imap_fetch_result_get_modseq (change);
      g_ptr_array_add (keyword_lists, keywords);
      g_array_append_val (updates, update);
    }
  if (updates->len == 0)
    return TRUE;
  if (!cachet_store_update_flags (self->store, folder, uidvalidity,
                                  (const CachetFlagUpdate *) (gpointer) updates->data, updates->len, error))
    return FALSE;
  run->report.flags_changed += updates->len;
  return TRUE;
}

/* The server's current flags for the messages stored: with CONDSTORE only
 * those changed since the last sync, else all of them. */
static gboolean
sync_flags (CachetAccountSync  *self,
            Run                *run,
            const char         *folder,
            guint32             uidvalidity,
            guint64             known_modseq,
            GArray             *stored_uids,
            GError            **error)
{
  if (known_modseq > 0 && cachet_imap_session_is_enabled (run->session, "CONDSTORE"))
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) changes = NULL;

      cachet_imap_session_uid_fetch_changes_async (run->session, known_modseq, run->cancellable,
                                                   cachet_sync_result_cb, &result);
      changes = cachet_imap_session_uid_fetch_changes_finish (run->session, cachet_sync_wait (run->context, &result), NULL, error);
      return changes != NULL && apply_flag_changes (self, run, folder, uidvalidity, changes, error);
    }

  for (guint first = 0; first < stored_uids->len; first += 1000)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) flags = NULL;

      cachet_imap_session_uid_fetch_async (run->session, &g_array_index (stored_uids, guint32, first),
                                           MIN (1000, stored_uids->len - first),
                                           CACHET_IMAP_FETCH_FLAGS | CACHET_IMAP_FETCH_MODSEQ, NULL,
                                           NULL, NULL, NULL, run->cancellable, cachet_sync_result_cb, &result);
      flags = cachet_imap_session_uid_fetch_finish (run->session, cachet_sync_wait (run->context, &result), error);
      if (flags == NULL || !apply_flag_changes (self, run, folder, uidvalidity, flags, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
contains_uid (GArray  *sorted,
              guint32  uid)
{
  guint low = 0, high = sorted->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      guint32 value = g_array_index (sorted, guint32, middle);

      if (value == uid)
        return TRUE;
      if (value < uid)
        low = middle + 1;
      else
        high = middle;
    }
  return FALSE;
}

/* What is in @a and not in @b, both sorted. */
static GArray *
uids_missing_from (GArray *a,
                   GArray *b)
{
  GArray *missing = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < a->len; i++)
    {
      guint32 uid = g_array_index (a, guint32, i);

      if (!contains_uid (b, uid))
        g_array_append_val (missing, uid);
    }
  return missing;
}

static gboolean
remove_gone (CachetAccountSync  *self,
             Run                *run,
             const char         *folder,
             guint32             uidvalidity,
             GArray             *gone,
             GError            **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CachetUidRange));

  /* @gone is sorted: consecutive UIDs make one range. */
  for (guint i = 0; i < gone->len; i++)
    {
      guint32 uid = g_array_index (gone, guint32, i);
      CachetUidRange *last = ranges->len > 0 ? &g_array_index (ranges, CachetUidRange, ranges->len - 1) : NULL;

      if (last != NULL && last->last + 1 == uid)
        {
          last->last = uid;
        }
      else
        {
          CachetUidRange range = { uid, uid };

          g_array_append_val (ranges, range);
        }
    }
  if (ranges->len == 0)
    return TRUE;
  if (!cachet_store_remove_messages (self->store, folder, uidvalidity,
                                     (const CachetUidRange *) (gpointer) ranges->data, ranges->len, error))
    return FALSE;
  run->report.removed += gone->len;
  return TRUE;
}

static int
compare_uids (gconstpointer a,
              gconstpointer b)
{
  guint32 uid_a = *(const guint32 *) a;
  guint32 uid_b = *(const guint32 *) b;

  return uid_a < uid_b ? -1 : uid_a > uid_b;
}

/* The UIDs of @folder the user moved or deleted after this run's replay:
 * the index no longer lists them, and they are not to come back before the
 * next replay takes them away on the server too. */
static GArray *
uids_awaiting_replay (CachetAccountSync  *self,
                      const char         *folder,
                      guint32             uidvalidity,
                      GError            **error)
{
  g_autoptr(GPtrArray) actions = cachet_store_list_pending_actions (self->store, error);
  GArray *uids;

  if (actions == NULL)
    return NULL;
  uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < actions->len; i++)
    {
      const CachetPendingAction *action = g_ptr_array_index (actions, i);

      if ((action->kind == CACHET_PENDING_ACTION_MOVE || action->kind == CACHET_PENDING_ACTION_DELETE) &&
          action->state != CACHET_PENDING_ACTION_FAILED && action->uidvalidity == uidvalidity &&
          g_str_equal (action->folder, folder))
        g_array_append_vals (uids, action->uids->data, action->uids->len);
    }
  return uids;
}

/* Whether the server's folder is in the state the store last synced: same
 * UIDVALIDITY, UIDNEXT and number of messages, and, the proof that no flag
 * changed and nothing was expunged, the same HIGHESTMODSEQ. Without
 * CONDSTORE there is no such proof. */
static gboolean
is_unchanged (const CachetFolderInfo         *stored,
              const CachetImapMailboxStatus  *status)
{
  const CachetImapStatusItems needed = CACHET_IMAP_STATUS_ITEM_MESSAGES | CACHET_IMAP_STATUS_ITEM_UIDNEXT |
                                       CACHET_IMAP_STATUS_ITEM_UIDVALIDITY | CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ;

  return stored != NULL && status != NULL && (status->items & needed) == needed &&
         status->highest_modseq != 0 && stored->highestmodseq == status->highest_modseq &&
         stored->uidvalidity == status->uidvalidity && stored->uidnext == status->uidnext &&
         stored->total_count == status->messages;
}

static gboolean
sync_folder (CachetAccountSync              *self,
             Run                            *run,
             CachetImapMailboxInfo          *mailbox,
             const CachetImapMailboxStatus  *status,
             GError                        **error)
{
  const char *name = cachet_imap_mailbox_info_get_name (mailbox);
  g_autoptr(CachetFolderInfo) stored = cachet_store_get_folder (self->store, name, NULL);
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GAsyncResult) select_result = NULL;
  g_autoptr(GAsyncResult) search_result = NULL;
  g_autoptr(GArray) server_uids = NULL;
  g_autoptr(GArray) stored_uids = NULL;
  g_autoptr(GArray) known_uids = NULL;
  g_autoptr(GArray) gone = NULL;
  g_autoptr(GArray) fresh = NULL;
  g_autofree char *special_use = special_use_name (mailbox);
  char delimiter[2] = { cachet_imap_mailbox_info_get_delimiter (mailbox), '\0' };
  static const char *const all[] = { "ALL", NULL };
  CachetFolderInfo info = { 0 };
  guint32 uidvalidity;
  guint64 known_modseq = 0;
  gboolean synced_before = FALSE;
  guint added_before;

  if (is_unchanged (stored, status))
    {
      run->report.folders++;
      return TRUE;
    }

  /* EXAMINE: reading must not change anything on the server, not even
   * \Recent. */
  cachet_imap_session_examine_async (run->session, name, NULL, run->cancellable, cachet_sync_result_cb, &select_result);
  selected = cachet_imap_session_select_finish (run->session, cachet_sync_wait (run->context, &select_result), error);
  if (selected == NULL)
    return FALSE;
  uidvalidity = cachet_imap_select_result_get_uidvalidity (selected);

  if (stored != NULL && stored->uidvalidity != 0 && stored->uidvalidity != uidvalidity)
    {
      /* The server renumbered the folder: the old copies are set aside, never
       * deleted, and the folder is downloaded again. */
      if (!cachet_store_reset_folder (self->store, name, uidvalidity, error))
        return FALSE;
    }
  else if (stored != NULL)
    {
      known_modseq = stored->highestmodseq;
      synced_before = stored->uidvalidity != 0;
    }

  info.name = (char *) name;
  info.delimiter = delimiter[0] != '\0' ? delimiter : NULL;
  info.special_use = special_use;
  info.subscribed = cachet_imap_mailbox_info_is_subscribed (mailbox);
  info.uidvalidity = uidvalidity;
  /* Recorded first without progress marks, so that messages can be added. */
  if (stored == NULL && !cachet_store_upsert_folder (self->store, &info, error))
    return FALSE;

  cachet_imap_session_uid_search_async (run->session, all, run->cancellable, cachet_sync_result_cb, &search_result);
  server_uids = cachet_imap_session_uid_search_finish (run->session, cachet_sync_wait (run->context, &search_result), error);
  if (server_uids == NULL)
    return FALSE;
  g_array_sort (server_uids, compare_uids);
  stored_uids = cachet_store_list_uids (self->store, name, uidvalidity, error);
  if (stored_uids == NULL)
    return FALSE;

  known_uids = uids_awaiting_replay (self, name, uidvalidity, error);
  if (known_uids == NULL)
    return FALSE;
  g_array_append_vals (known_uids, stored_uids->data, stored_uids->len);
  g_array_sort (known_uids, compare_uids);

  fresh = uids_missing_from (server_uids, known_uids);
  added_before = run->report.added;
  if (!sync_flags (self, run, name, uidvalidity, known_modseq, stored_uids, error) ||
      !fetch_new_messages (self, run, name, uidvalidity, fresh, error))
    return FALSE;
  /* Listed again after the download: storing takes up the files an
   * interrupted run left without their rows, some of them perhaps of
   * messages gone from the server since. */
  g_clear_pointer (&stored_uids, g_array_unref);
  stored_uids = cachet_store_list_uids (self->store, name, uidvalidity, error);
  if (stored_uids == NULL)
    return FALSE;
  gone = uids_missing_from (stored_uids, server_uids);
  if (!remove_gone (self, run, name, uidvalidity, gone, error))
    return FALSE;
  if (synced_before && g_ascii_strcasecmp (name, "INBOX") == 0)
    run->report.new_in_inbox += run->report.added - added_before;

  /* Only now that everything they cover is stored. */
  info.uidnext = cachet_imap_select_result_get_uidnext (selected);
  info.highestmodseq = cachet_imap_select_result_get_highest_modseq (selected);
  if (!cachet_store_upsert_folder (self->store, &info, error))
    return FALSE;
  run->report.folders++;
  return TRUE;
}

/* The state of every folder, asked all at once: the session pipelines the
 * commands, so that a sync with nothing to do costs one round trip more
 * than logging in. A folder whose state is unknown (no answer, or the one
 * selected, which STATUS must not be asked about) is synced in full. */
static GPtrArray *
ask_statuses (Run       *run,
              GPtrArray *mailboxes)
{
  GPtrArray *statuses = g_ptr_array_new_full (mailboxes->len, (GDestroyNotify) cachet_imap_mailbox_status_free);
  g_autofree GAsyncResult **results = g_new0 (GAsyncResult *, mailboxes->len);
  g_autofree gboolean *asked = g_new0 (gboolean, mailboxes->len);
  const char *selected = cachet_imap_session_get_selected_mailbox (run->session);

  for (guint i = 0; i < mailboxes->len; i++)
    {
      CachetImapMailboxInfo *mailbox = g_ptr_array_index (mailboxes, i);
      const char *name = cachet_imap_mailbox_info_get_name (mailbox);

      asked[i] = cachet_imap_mailbox_info_is_selectable (mailbox) && g_strcmp0 (name, selected) != 0;
      if (asked[i])
        cachet_imap_session_status_async (run->session, name, run->cancellable, cachet_sync_result_cb,
                                          &results[i]);
    }
  for (guint i = 0; i < mailboxes->len; i++)
    {
      g_autoptr(GAsyncResult) result = asked[i] ? cachet_sync_wait (run->context, &results[i]) : NULL;

      g_ptr_array_add (statuses, result != NULL ? cachet_imap_session_status_finish (run->session, result, NULL)
                                                : NULL);
    }
  return statuses;
}

static gboolean
sync_account (CachetAccountSync  *self,
              Run                *run,
              GError            **error)
{
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) logged_out = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  CachetReplayReport replayed;

  cachet_account_session_open_async (self->account, self->credentials, run->cancellable,
                                     cachet_sync_result_cb, &connected);
  run->session = cachet_account_session_open_finish (cachet_sync_wait (run->context, &connected), error);
  if (run->session == NULL)
    return FALSE;

  /* The user's offline actions first: the folders then download the
   * result, and no message comes back that the user moved away. */
  if (!cachet_action_replay_run (self->store, run->session, run->context, run->cancellable,
                                 &replayed, error))
    return FALSE;
  run->report.replayed = replayed.replayed;
  run->report.failed_actions = replayed.failed;

  cachet_imap_session_list_async (run->session, run->cancellable, cachet_sync_result_cb, &listed);
  mailboxes = cachet_imap_session_list_finish (run->session, cachet_sync_wait (run->context, &listed), error);
  if (mailboxes == NULL)
    return FALSE;

  statuses = ask_statuses (run, mailboxes);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      CachetImapMailboxInfo *mailbox = g_ptr_array_index (mailboxes, i);

      if (cachet_imap_mailbox_info_is_selectable (mailbox) &&
          !sync_folder (self, run, mailbox, g_ptr_array_index (statuses, i), error))
        return FALSE;
    }

  cachet_imap_session_logout_async (run->session, run->cancellable, cachet_sync_result_cb, &logged_out);
  /* The work is done and stored: a failed goodbye changes nothing. */
  cachet_imap_session_logout_finish (run->session, cachet_sync_wait (run->context, &logged_out), NULL);
  return TRUE;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CachetAccountSync *self = source_object;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  g_main_context_push_thread_default (context);
  run->context = context;
  run->cancellable = cancellable;

  if (sync_account (self, run, &error))
    g_task_return_pointer (task, g_memdup2 (&run->report, sizeof run->report), g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));

  if (run->session != NULL)
    cachet_imap_session_close (run->session);
  g_clear_object (&run->session);
  /* Let the closed connection's last callbacks run on this context. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_free (run);
}

/**
 * cachet_account_sync_run_async:
 *
 * Synchronises every folder of the account into its store.
 */
void
cachet_account_sync_run_async (CachetAccountSync   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (CACHET_IS_ACCOUNT_SYNC (self));

  g_task_set_source_tag (task, cachet_account_sync_run_async);
  g_task_run_in_thread (task, run_in_thread);
}

/**
 * cachet_account_sync_run_finish:
 * @report: (out caller-allocates) (optional): what the run did
 *
 * Returns: %TRUE when every folder is synchronised
 */
gboolean
cachet_account_sync_run_finish (CachetAccountSync  *self,
                                GAsyncResult       *result,
                                CachetSyncReport   *report,
                                GError            **error)
{
  g_autofree CachetSyncReport *done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (report != NULL)
    *report = *done;
  return TRUE;
}

static void
cachet_account_sync_finalize (GObject *object)
{
  CachetAccountSync *self = CACHET_ACCOUNT_SYNC (object);

  g_clear_object (&self->account);
  g_clear_object (&self->credentials);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cachet_account_sync_parent_class)->finalize (object);
}

static void
cachet_account_sync_class_init (CachetAccountSyncClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_account_sync_finalize;
}

static void
cachet_account_sync_init (CachetAccountSync *self)
{
}
