/* cachet-action-replay.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-action-replay.h"
#include "cachet-imap-error.h"
#include "cachet-message-summary.h"
#include "cachet-sync-helpers.h"

/* Replays the actions the user took while offline, in the order taken, over
 * an open session. Each action is marked in progress before its command is
 * sent and removed from the queue once the server said OK; one found in
 * progress (a crash, a dropped connection) is simply replayed again, so each
 * step is written to be harmless twice: flags are, a move or an expunge of
 * UIDs already gone does nothing, and an append looks for its message
 * before sending it again.
 *
 * A refusal (NO, BAD, a missing capability) fails that action only, with
 * the server's words kept for the user, and the replay goes on. Anything
 * else (the connection) stops the replay: the action stays queued. */

typedef struct
{
  CachetStore        *store;
  CachetImapSession  *session;
  GMainContext       *context;
  GCancellable       *cancellable;
  CachetReplayReport *report;
} Replay;

static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO) ||
         g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_BAD) ||
         g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED) ||
         g_error_matches (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT) ||
         g_error_matches (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
}

/* Selects @folder read-write, unless it already is. */
static gboolean
select_folder (Replay      *replay,
               const char  *folder,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;

  if (cachet_imap_session_get_state (replay->session) == CACHET_IMAP_SESSION_STATE_SELECTED &&
      g_strcmp0 (cachet_imap_session_get_selected_mailbox (replay->session), folder) == 0 &&
      !cachet_imap_session_is_read_only (replay->session))
    return TRUE;

  cachet_imap_session_select_async (replay->session, folder, NULL, replay->cancellable,
                                    cachet_sync_result_cb, &result);
  selected = cachet_imap_session_select_finish (replay->session,
                                                cachet_sync_wait (replay->context, &result),
                                                error);
  return selected != NULL;
}

static gboolean
store_flags (Replay                *replay,
             GArray                *uids,
             CachetImapStoreAction  store_action,
             const char * const    *flags,
             GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_uid_store_async (replay->session, (const guint32 *) (gpointer) uids->data,
                                       uids->len, store_action, flags, 0, replay->cancellable,
                                       cachet_sync_result_cb, &result);
  return cachet_imap_session_uid_store_finish (replay->session,
                                               cachet_sync_wait (replay->context, &result),
                                               NULL, error);
}

/* Deletes for good: \Deleted, then UID EXPUNGE of exactly these. Without
 * UIDPLUS they stay marked \Deleted: a plain EXPUNGE would also remove what
 * other workstations of the practice marked, so the expunge is left to them
 * or to the server. */
static gboolean
delete_uids (Replay  *replay,
             GArray  *uids,
             GError **error)
{
  static const char * const deleted[] = { "\\Deleted", NULL };
  g_autoptr(GAsyncResult) result = NULL;

  if (uids->len == 0)
    return TRUE;
  if (!store_flags (replay, uids, CACHET_IMAP_STORE_ADD, deleted, error))
    return FALSE;
  if (!cachet_imap_session_has_capability (replay->session, "UIDPLUS"))
    {
      g_debug ("No UIDPLUS: %u messages left marked \\Deleted", uids->len);
      return TRUE;
    }

  cachet_imap_session_uid_expunge_async (replay->session, (const guint32 *) (gpointer) uids->data,
                                         uids->len, replay->cancellable, cachet_sync_result_cb,
                                         &result);
  return cachet_imap_session_uid_expunge_finish (replay->session,
                                                 cachet_sync_wait (replay->context, &result),
                                                 error);
}

/* The UIDs of the selected folder's messages whose Message-ID is
 * @message_id. */
static GArray *
search_message_id (Replay      *replay,
                   const char  *message_id,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_uid_search_message_id_async (replay->session, message_id, replay->cancellable,
                                                   cachet_sync_result_cb, &result);
  return cachet_imap_session_uid_search_finish (replay->session,
                                                cachet_sync_wait (replay->context, &result),
                                                error);
}

/* Whether an append interrupted earlier reached the server: its message,
 * found by its Message-ID. One without a Message-ID cannot be found, and is
 * sent again. */
static gboolean
find_appended (Replay    *replay,
               GBytes    *message,
               gboolean  *found,
               GError   **error)
{
  g_autoptr(CachetMessageSummary) summary = cachet_message_summary_new_from_bytes (message, NULL);
  g_autoptr(GArray) uids = NULL;

  *found = FALSE;
  if (summary == NULL || summary->message_id == NULL)
    return TRUE;
  uids = search_message_id (replay, summary->message_id, error);
  if (uids == NULL)
    return FALSE;
  *found = uids->len > 0;
  return TRUE;
}

static gboolean
replay_append (Replay                     *replay,
               const CachetPendingAction  *action,
               gboolean                    interrupted,
               GError                    **error)
{
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) versions = NULL;
  g_auto(GStrv) flags = NULL;
  guint32 appended_uid = 0;

  message = cachet_store_load_pending_payload (replay->store, action->id, error);
  if (message == NULL)
    return FALSE;

  /* A replacing append is made whole by the replacement below, which also
   * removes a copy sent twice. */
  if (interrupted && action->message_id == NULL)
    {
      gboolean found;

      if (!find_appended (replay, message, &found, error))
        return FALSE;
      if (found)
        return TRUE;
    }

  flags = cachet_sync_flags_to_imap (action->flags, (const char * const *) action->keywords);
  cachet_imap_session_append_async (replay->session, action->folder, message,
                                    (const char * const *) flags, NULL, replay->cancellable,
                                    cachet_sync_result_cb, &result);
  if (!cachet_imap_session_append_finish (replay->session,
                                          cachet_sync_wait (replay->context, &result),
                                          NULL, &appended_uid, error))
    return FALSE;
  if (action->message_id == NULL)
    return TRUE;

  versions = search_message_id (replay, action->message_id, error);
  if (versions == NULL)
    return FALSE;
  /* Without APPENDUID, the new version is the newest: the highest UID. */
  if (appended_uid == 0 && versions->len > 0)
    appended_uid = g_array_index (versions, guint32, versions->len - 1);
  for (guint i = 0; i < versions->len; i++)
    {
      if (g_array_index (versions, guint32, i) == appended_uid)
        g_array_remove_index (versions, i--);
    }
  return delete_uids (replay, versions, error);
}

static gboolean
replay_move (Replay                     *replay,
             const CachetPendingAction  *action,
             GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetImapCopyUid) copied = NULL;
  g_autoptr(GError) local_error = NULL;

  cachet_imap_session_uid_move_async (replay->session,
                                      (const guint32 *) (gpointer) action->uids->data,
                                      action->uids->len, action->target_folder,
                                      replay->cancellable, cachet_sync_result_cb, &result);
  copied = cachet_imap_session_uid_move_finish (replay->session,
                                                cachet_sync_wait (replay->context, &result),
                                                &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* Sends one action's commands; the folder is selected. */
static gboolean
send_action (Replay                     *replay,
             const CachetPendingAction  *action,
             gboolean                    interrupted,
             GError                    **error)
{
  g_auto(GStrv) flags = NULL;
  g_autoptr(GArray) uids = NULL;

  switch (action->kind)
    {
    case CACHET_PENDING_ACTION_ADD_FLAGS:
    case CACHET_PENDING_ACTION_REMOVE_FLAGS:
      flags = cachet_sync_flags_to_imap (action->flags, (const char * const *) action->keywords);
      return store_flags (replay, action->uids,
                          action->kind == CACHET_PENDING_ACTION_ADD_FLAGS ?
                          CACHET_IMAP_STORE_ADD : CACHET_IMAP_STORE_REMOVE,
                          (const char * const *) flags, error);
    case CACHET_PENDING_ACTION_MOVE:
      return replay_move (replay, action, error);
    case CACHET_PENDING_ACTION_DELETE:
      return delete_uids (replay, action->uids, error);
    case CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID:
      uids = search_message_id (replay, action->message_id, error);
      return uids != NULL && delete_uids (replay, uids, error);
    case CACHET_PENDING_ACTION_APPEND:
      return replay_append (replay, action, interrupted, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
replay_action (Replay                     *replay,
               const CachetPendingAction  *action,
               GError                    **error)
{
  gboolean interrupted = action->state == CACHET_PENDING_ACTION_IN_PROGRESS;

  if (!select_folder (replay, action->folder, error))
    return FALSE;

  /* UIDs of another UIDVALIDITY name other messages, or none. */
  if (action->uids->len > 0 &&
      cachet_imap_session_get_uidvalidity (replay->session) != action->uidvalidity)
    {
      g_warning ("A queued action on %s was dropped: the server renumbered the folder "
                 "(UIDVALIDITY %u, now %u)", action->folder, action->uidvalidity,
                 cachet_imap_session_get_uidvalidity (replay->session));
      if (!cachet_store_complete_pending_action (replay->store, action->id, error))
        return FALSE;
      replay->report->dropped++;
      return TRUE;
    }

  if (!cachet_store_set_pending_action_state (replay->store, action->id,
                                              CACHET_PENDING_ACTION_IN_PROGRESS, NULL, error) ||
      !send_action (replay, action, interrupted, error) ||
      !cachet_store_complete_pending_action (replay->store, action->id, error))
    return FALSE;
  replay->report->replayed++;
  return TRUE;
}

/* The index showed the refused change at once: the folder's sync, which
 * follows, must put it back as the server has it. Messages taken out of the
 * list come back by themselves (the sync downloads what the index lacks);
 * flags are read again only if the folder's HIGHESTMODSEQ is forgotten. */
static gboolean
undo_local_change (CachetStore                *store,
                   const CachetPendingAction  *action,
                   GError                    **error)
{
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  if (action->kind != CACHET_PENDING_ACTION_ADD_FLAGS &&
      action->kind != CACHET_PENDING_ACTION_REMOVE_FLAGS)
    return TRUE;

  info = cachet_store_get_folder (store, action->folder, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  info->highestmodseq = 0;
  return cachet_store_upsert_folder (store, info, error);
}

/**
 * cachet_action_replay_run:
 * @store: the account's store
 * @session: a session signed in to the account's server
 * @context: the main context @session lives on, thread-default here
 * @cancellable: (nullable): a #GCancellable
 * @report: (out caller-allocates): what was replayed
 * @error: return location for a #GError
 *
 * Replays the store's queued actions, in order, leaving the failed ones to
 * the user. The index already shows each action (cachet_store_apply_action());
 * for one the server refuses, the next sync of its folder shows the server's
 * state again. Blocking: call from the worker thread of a synchronisation run.
 *
 * Returns: %FALSE if the replay stopped before the end of the queue (the
 *   connection failed, the store could not be written)
 */
gboolean
cachet_action_replay_run (CachetStore         *store,
                          CachetImapSession   *session,
                          GMainContext        *context,
                          GCancellable        *cancellable,
                          CachetReplayReport  *report,
                          GError             **error)
{
  Replay replay = { store, session, context, cancellable, report };
  g_autoptr(GPtrArray) actions = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (store), FALSE);
  g_return_val_if_fail (CACHET_IS_IMAP_SESSION (session), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  *report = (CachetReplayReport) { 0 };
  actions = cachet_store_list_pending_actions (store, error);
  if (actions == NULL)
    return FALSE;

  for (guint i = 0; i < actions->len; i++)
    {
      const CachetPendingAction *action = g_ptr_array_index (actions, i);
      g_autoptr(GError) local_error = NULL;

      if (action->state == CACHET_PENDING_ACTION_FAILED)
        continue;
      if (replay_action (&replay, action, &local_error))
        continue;
      if (!is_refusal (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!cachet_store_set_pending_action_state (store, action->id, CACHET_PENDING_ACTION_FAILED,
                                                  local_error->message, error) ||
          !undo_local_change (store, action, error))
        return FALSE;
      report->failed++;
    }
  return TRUE;
}
