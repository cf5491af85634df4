/* cachet-imap-session-commands.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "cachet-imap-session-private.h"

/* The mailbox and message commands of CachetImapSession. Each operation is a
 * task (see _cachet_imap_op_new()) that queues one or more commands; the
 * commands' callbacks collect untagged responses and complete the task. The
 * session's state (the selected mailbox) is updated by the callbacks even
 * when the caller cancelled, since the server did what it was asked. */

/* More mailboxes than any account has; a server sending more is flooding. */
#define MAX_MAILBOXES 100000

/* What one command may collect: as many results as a mailbox has messages. */
#define MAX_RESULTS CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES

static GError *
too_many_results (CachetImapSession *self)
{
  return g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                      _("The server %s sent more results than Cachet accepts for one request. "
                        "If it keeps happening, tell your operator."),
                      _cachet_imap_session_get_host (self));
}

static int
compare_uids (gconstpointer a,
              gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

/* The caller's UIDs, sorted, without duplicates; NULL with an error if there
 * are none or one is 0. */
static GArray *
sorted_uids (const guint32  *uids,
             gsize           n_uids,
             GError        **error)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = 0;

  if (n_uids == 0 || n_uids > G_MAXUINT || uids == NULL)
    {
      g_set_error_literal (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT,
                           "A set of messages cannot be empty");
      return NULL;
    }
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (guint32), (guint) n_uids);
  g_array_append_vals (sorted, uids, (guint) n_uids);
  g_array_sort (sorted, compare_uids);
  if (g_array_index (sorted, guint32, 0) == 0)
    {
      g_set_error_literal (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT,
                           "Zero is not a valid UID");
      return NULL;
    }
  for (guint i = 0; i < sorted->len; i++)
    {
      if (n == 0 || g_array_index (sorted, guint32, n - 1) != g_array_index (sorted, guint32, i))
        g_array_index (sorted, guint32, n++) = g_array_index (sorted, guint32, i);
    }
  g_array_set_size (sorted, n);
  return g_steal_pointer (&sorted);
}

static gboolean
contains_uid (const guint32 *uids,
              guint          n_uids,
              guint32        uid)
{
  return bsearch (&uid, uids, n_uids, sizeof (guint32), compare_uids) != NULL;
}

/* Expands ranges into UIDs, in order, failing past @limit. */
static gboolean
append_ranges (GArray       *uids,
               const GArray *ranges,
               guint         limit)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      const CachetImapRange *range = &g_array_index (ranges, CachetImapRange, i);

      if ((guint64) uids->len + range->last - range->first + 1 > limit)
        return FALSE;
      for (guint64 uid = range->first; uid <= range->last; uid++)
        {
          guint32 value = (guint32) uid;

          g_array_append_val (uids, value);
        }
    }
  return TRUE;
}

static gboolean
add_flag_list (CachetImapCommand   *builder,
               const char * const  *flags,
               GError             **error)
{
  cachet_imap_command_begin_list (builder);
  for (gsize i = 0; flags != NULL && flags[i] != NULL; i++)
    {
      if (!cachet_imap_command_add_atom (builder, flags[i], error))
        return FALSE;
    }
  cachet_imap_command_end_list (builder);
  return TRUE;
}

/* The usual end of a one-command operation. */
static gboolean
done_with_error (Command            *command,
                 CachetImapResponse *tagged,
                 const GError       *error)
{
  if (_cachet_imap_op_is_completed (command->task))
    return TRUE;
  _cachet_imap_op_set_code (command->task, tagged);
  if (error != NULL)
    {
      _cachet_imap_op_return_error (command->task, g_error_copy (error));
      return TRUE;
    }
  return FALSE;
}

/* LIST ---------------------------------------------------------------------- */

typedef struct
{
  char  *wire_name;
  char   delimiter;
  char **attributes;
} ListEntry;

typedef struct
{
  GPtrArray  *entries;      /* ListEntry */
  GHashTable *seen;         /* wire names */
  GHashTable *subscribed;   /* wire names from LSUB */
  gboolean    extended;
  guint       pending;
  GError     *error;
} ListData;

static void
list_entry_free (gpointer data)
{
  ListEntry *entry = data;

  g_free (entry->wire_name);
  g_strfreev (entry->attributes);
  g_free (entry);
}

static void
list_data_free (gpointer data)
{
  ListData *list = data;

  g_ptr_array_unref (list->entries);
  g_hash_table_unref (list->seen);
  g_hash_table_unref (list->subscribed);
  g_clear_error (&list->error);
  g_free (list);
}

static gboolean
list_untagged (Command            *command,
               CachetImapResponse *response)
{
  ListData *list = _cachet_imap_op_get_data (command->task);
  const char *wire_name = cachet_imap_response_get_mailbox (response);
  g_autofree char *key = g_ascii_strcasecmp (wire_name, "INBOX") == 0 ? g_strdup ("INBOX")
                                                                      : g_strdup (wire_name);
  ListEntry *entry;

  if (list->error != NULL)
    return TRUE;
  if (cachet_imap_response_get_response_type (response) == CACHET_IMAP_RESPONSE_LSUB)
    {
      if (g_hash_table_size (list->subscribed) < MAX_MAILBOXES)
        g_hash_table_add (list->subscribed, g_steal_pointer (&key));
      return TRUE;
    }

  if (g_hash_table_contains (list->seen, key))
    return TRUE;
  if (list->entries->len >= MAX_MAILBOXES)
    {
      list->error = too_many_results (command->session);
      return TRUE;
    }

  entry = g_new0 (ListEntry, 1);
  entry->wire_name = g_strdup (key);
  entry->delimiter = cachet_imap_response_get_mailbox_delimiter (response);
  entry->attributes = cachet_imap_response_dup_mailbox_attributes (response);
  g_ptr_array_add (list->entries, entry);
  g_hash_table_add (list->seen, g_steal_pointer (&key));
  return TRUE;
}

static gboolean
has_attribute (char       **attributes,
               const char  *attribute)
{
  for (gsize i = 0; attributes != NULL && attributes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (attributes[i], attribute) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
list_finish (GTask *task)
{
  ListData *list = _cachet_imap_op_get_data (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) mailboxes = NULL;

  mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_mailbox_info_unref);
  for (guint i = 0; i < list->entries->len; i++)
    {
      ListEntry *entry = g_ptr_array_index (list->entries, i);
      g_autofree char *name = _cachet_imap_decode_mailbox (op->session, entry->wire_name);
      gboolean subscribed;

      if (name == NULL)
        {
          /* It could not be named back to the server either. */
          g_debug ("LIST: skipped a mailbox whose name is not valid modified UTF-7");
          continue;
        }
      subscribed = list->extended ? has_attribute (entry->attributes, "\\Subscribed")
                                  : g_hash_table_contains (list->subscribed, entry->wire_name);
      g_ptr_array_add (mailboxes,
                       cachet_imap_mailbox_info_new (name, entry->wire_name, entry->delimiter,
                                                     (const char * const *) entry->attributes,
                                                     subscribed));
    }

  _cachet_imap_op_return_pointer (task, g_steal_pointer (&mailboxes),
                                  (GDestroyNotify) g_ptr_array_unref);
}

static void
list_done (Command            *command,
           CachetImapResponse *tagged,
           const GError       *error)
{
  ListData *list = _cachet_imap_op_get_data (command->task);

  list->pending--;
  if (done_with_error (command, tagged, error))
    return;
  if (list->error != NULL)
    {
      _cachet_imap_op_return_error (command->task, g_steal_pointer (&list->error));
      return;
    }
  if (list->pending == 0)
    list_finish (command->task);
}

static gboolean
list_args (Command            *command,
           CachetImapCommand  *builder,
           GError            **error)
{
  ListData *list = _cachet_imap_op_get_data (command->task);
  CachetImapSession *self = command->session;

  cachet_imap_command_add_string (builder, "");
  cachet_imap_command_add_string (builder, "*");
  if (list->extended && g_str_equal (command->name, "LIST"))
    {
      if (!cachet_imap_command_add_atom (builder, "RETURN", error))
        return FALSE;
      cachet_imap_command_begin_list (builder);
      if (!cachet_imap_command_add_atom (builder, "SUBSCRIBED", error))
        return FALSE;
      if (cachet_imap_session_has_capability (self, "SPECIAL-USE") &&
          !cachet_imap_command_add_atom (builder, "SPECIAL-USE", error))
        return FALSE;
      cachet_imap_command_end_list (builder);
    }
  return TRUE;
}

/**
 * cachet_imap_session_list_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the mailboxes
 * @user_data: data for @callback
 *
 * Lists every mailbox of the account with its special use and whether it is
 * subscribed: `LIST "" "*" RETURN (SUBSCRIBED SPECIAL-USE)` with
 * LIST-EXTENDED, otherwise LIST and LSUB together. Names that are not valid
 * modified UTF-7 are left out.
 */
void
cachet_imap_session_list_async (CachetImapSession   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ListData *list;
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  list = g_new0 (ListData, 1);
  list->entries = g_ptr_array_new_with_free_func (list_entry_free);
  list->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->subscribed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->extended = cachet_imap_session_has_capability (self, "LIST-EXTENDED");
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_list_async, list, list_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;

  command = _cachet_imap_command_new (self, task, "LIST", KIND_LIST);
  command->args = list_args;
  command->untagged = list_untagged;
  command->done = list_done;
  list->pending++;
  _cachet_imap_session_queue (self, command);

  if (!list->extended)
    {
      command = _cachet_imap_command_new (self, task, "LSUB", KIND_LSUB);
      command->args = list_args;
      command->untagged = list_untagged;
      command->done = list_done;
      list->pending++;
      _cachet_imap_session_queue (self, command);
    }
}

/**
 * cachet_imap_session_list_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CachetImapMailboxInfo): the
 *   mailboxes, in the server's order
 */
GPtrArray *
cachet_imap_session_list_finish (CachetImapSession  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* STATUS --------------------------------------------------------------------- */

typedef struct
{
  char                    *mailbox;
  CachetImapMailboxStatus  status;
  gboolean                 received;
} StatusData;

static void
status_data_free (gpointer data)
{
  StatusData *status = data;

  g_free (status->mailbox);
  g_free (status);
}

static gboolean
status_untagged (Command            *command,
                 CachetImapResponse *response)
{
  StatusData *status = _cachet_imap_op_get_data (command->task);
  g_autofree char *name = _cachet_imap_decode_mailbox (command->session,
                                                       cachet_imap_response_get_mailbox (response));
  static const struct
  {
    const char            *name;
    CachetImapStatusItems  item;
  } items[] = {
    { "MESSAGES", CACHET_IMAP_STATUS_ITEM_MESSAGES },
    { "UIDNEXT", CACHET_IMAP_STATUS_ITEM_UIDNEXT },
    { "UIDVALIDITY", CACHET_IMAP_STATUS_ITEM_UIDVALIDITY },
    { "UNSEEN", CACHET_IMAP_STATUS_ITEM_UNSEEN },
    { "HIGHESTMODSEQ", CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ },
  };

  if (name == NULL || g_strcmp0 (name, status->mailbox) != 0)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    {
      guint64 value;

      if (!cachet_imap_response_get_status_item (response, items[i].name, &value))
        continue;
      if (items[i].item != CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ && value > G_MAXUINT32)
        continue;
      status->status.items |= items[i].item;
      switch (items[i].item)
        {
        case CACHET_IMAP_STATUS_ITEM_MESSAGES:
          status->status.messages = (guint32) value;
          break;
        case CACHET_IMAP_STATUS_ITEM_UIDNEXT:
          status->status.uidnext = (guint32) value;
          break;
        case CACHET_IMAP_STATUS_ITEM_UIDVALIDITY:
          status->status.uidvalidity = (guint32) value;
          break;
        case CACHET_IMAP_STATUS_ITEM_UNSEEN:
          status->status.unseen = (guint32) value;
          break;
        case CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ:
          status->status.highest_modseq = value;
          break;
        case CACHET_IMAP_STATUS_ITEM_NONE:
        default:
          break;
        }
    }
  status->received = TRUE;
  return TRUE;
}

static void
status_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  StatusData *status;

  if (done_with_error (command, tagged, error))
    return;
  status = _cachet_imap_op_get_data (command->task);
  if (!status->received)
    {
      _cachet_imap_op_return_error (command->task,
                                    g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO,
                                                 _("The server %s did not give the state of the "
                                                   "folder. Try again later; if it keeps "
                                                   "happening, tell your operator."),
                                                 _cachet_imap_session_get_host (command->session)));
      return;
    }
  _cachet_imap_op_return_pointer (command->task, cachet_imap_mailbox_status_copy (&status->status),
                                  (GDestroyNotify) cachet_imap_mailbox_status_free);
}

static gboolean
status_args (Command            *command,
             CachetImapCommand  *builder,
             GError            **error)
{
  StatusData *status = _cachet_imap_op_get_data (command->task);
  static const char * const items[] = { "MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN" };

  if (!cachet_imap_command_add_mailbox (builder, status->mailbox, error))
    return FALSE;
  cachet_imap_command_begin_list (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    {
      if (!cachet_imap_command_add_atom (builder, items[i], error))
        return FALSE;
    }
  if (cachet_imap_session_is_enabled (command->session, "CONDSTORE") &&
      !cachet_imap_command_add_atom (builder, "HIGHESTMODSEQ", error))
    return FALSE;
  cachet_imap_command_end_list (builder);
  return TRUE;
}

/**
 * cachet_imap_session_status_async:
 * @mailbox: the name of a mailbox, in UTF-8
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the status
 * @user_data: data for @callback
 *
 * Asks for the message count, UIDNEXT, UIDVALIDITY, unseen count and (with
 * CONDSTORE) HIGHESTMODSEQ of a mailbox without selecting it.
 */
void
cachet_imap_session_status_async (CachetImapSession   *self,
                                  const char          *mailbox,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StatusData *status;
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (mailbox != NULL);

  status = g_new0 (StatusData, 1);
  status->mailbox = g_ascii_strcasecmp (mailbox, "INBOX") == 0 ? g_strdup ("INBOX")
                                                               : g_strdup (mailbox);
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_status_async, status, status_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;

  command = _cachet_imap_command_new (self, task, "STATUS", KIND_STATUS);
  command->args = status_args;
  command->untagged = status_untagged;
  command->done = status_done;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_status_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the status of the mailbox
 */
CachetImapMailboxStatus *
cachet_imap_session_status_finish (CachetImapSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_status_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SELECT and EXAMINE ----------------------------------------------------------- */

typedef struct
{
  char                   *mailbox;
  gboolean                read_only;
  gboolean                qresync;
  CachetImapQresync       params;
  CachetImapSelectResult *result;
  guint                   n_vanished;
} SelectData;

static void
select_data_free (gpointer data)
{
  SelectData *select = data;

  g_free (select->mailbox);
  g_clear_pointer (&select->params.known_uids, g_array_unref);
  g_clear_pointer (&select->result, cachet_imap_select_result_unref);
  g_free (select);
}

static gboolean
select_untagged (Command            *command,
                 CachetImapResponse *response)
{
  SelectData *select = _cachet_imap_op_get_data (command->task);
  GArray *vanished = _cachet_imap_select_result_get_vanished_array (select->result);
  GPtrArray *changed = _cachet_imap_select_result_get_changed_array (select->result);

  if (cachet_imap_response_get_response_type (response) == CACHET_IMAP_RESPONSE_VANISHED)
    {
      g_autoptr(GArray) ranges = cachet_imap_response_dup_vanished (response, NULL);

      if ((guint64) vanished->len + ranges->len <= MAX_RESULTS)
        g_array_append_vals (vanished, ranges->data, ranges->len);
      return TRUE;
    }

  if (cachet_imap_response_get_response_type (response) == CACHET_IMAP_RESPONSE_FETCH)
    {
      guint64 uid;

      /* QRESYNC reports changed messages with their UID. */
      if (!cachet_imap_response_get_fetch_number (response, "UID", &uid))
        return FALSE;
      if (changed->len < MAX_RESULTS)
        g_ptr_array_add (changed, _cachet_imap_fetch_result_new_from_response (response, NULL,
                                                                               (guint32) uid));
      return TRUE;
    }

  return FALSE;
}

static void
select_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  CachetImapSession *self = command->session;
  SelectData *select = _cachet_imap_op_get_data (command->task);
  MailboxState *state;

  if (tagged != NULL && error == NULL)
    _cachet_imap_session_flush_before_closed (self);
  state = _cachet_imap_session_get_selecting (self);
  if (tagged != NULL && error == NULL && state != NULL)
    {
      /* [READ-ONLY] or [READ-WRITE] come with the tagged answer. */
      if (cachet_imap_response_get_code (tagged) == CACHET_IMAP_RESPONSE_CODE_READ_ONLY)
        state->read_only = TRUE;
      else if (cachet_imap_response_get_code (tagged) == CACHET_IMAP_RESPONSE_CODE_READ_WRITE)
        state->read_only = select->read_only;
      _cachet_imap_select_result_set_state (select->result, state->read_only, state->uidvalidity,
                                            state->uidnext,
                                            cachet_imap_mailbox_map_get_count (state->map),
                                            state->nomodseq ? 0 : state->highest_modseq,
                                            (const char * const *) state->flags,
                                            (const char * const *) state->permanent_flags);
      _cachet_imap_session_end_select (self, TRUE);
    }
  else
    {
      _cachet_imap_session_end_select (self, FALSE);
    }

  if (done_with_error (command, tagged, error))
    return;
  _cachet_imap_op_return_pointer (command->task, g_steal_pointer (&select->result),
                                  (GDestroyNotify) cachet_imap_select_result_unref);
}

static gboolean
select_args (Command            *command,
             CachetImapCommand  *builder,
             GError            **error)
{
  CachetImapSession *self = command->session;
  SelectData *select = _cachet_imap_op_get_data (command->task);

  if (!cachet_imap_command_add_mailbox (builder, select->mailbox, error))
    return FALSE;

  if (select->qresync && cachet_imap_session_is_enabled (self, "QRESYNC"))
    {
      cachet_imap_command_begin_list (builder);
      if (!cachet_imap_command_add_atom (builder, "QRESYNC", error))
        return FALSE;
      cachet_imap_command_begin_list (builder);
      cachet_imap_command_add_number (builder, select->params.uidvalidity);
      cachet_imap_command_add_number (builder, select->params.highest_modseq);
      if (select->params.known_uids != NULL && select->params.known_uids->len > 0 &&
          !cachet_imap_command_add_sequence_set (builder,
                                                 &g_array_index (select->params.known_uids, guint32, 0),
                                                 select->params.known_uids->len, error))
        return FALSE;
      cachet_imap_command_end_list (builder);
      cachet_imap_command_end_list (builder);
    }
  else if (_cachet_imap_session_needs_condstore_parameter (self))
    {
      cachet_imap_command_begin_list (builder);
      if (!cachet_imap_command_add_atom (builder, "CONDSTORE", error))
        return FALSE;
      cachet_imap_command_end_list (builder);
    }

  _cachet_imap_session_begin_select (self, select->mailbox, select->read_only);
  return TRUE;
}

static void
select_start (CachetImapSession       *self,
              const char              *mailbox,
              gboolean                 read_only,
              const CachetImapQresync *qresync,
              GCancellable            *cancellable,
              GAsyncReadyCallback      callback,
              gpointer                 user_data,
              gpointer                 source_tag)
{
  SelectData *select;
  GTask *task;
  Command *command;

  select = g_new0 (SelectData, 1);
  select->mailbox = g_ascii_strcasecmp (mailbox, "INBOX") == 0 ? g_strdup ("INBOX")
                                                               : g_strdup (mailbox);
  select->read_only = read_only;
  select->result = _cachet_imap_select_result_new (select->mailbox, read_only);
  if (qresync != NULL && qresync->uidvalidity != 0 && qresync->highest_modseq != 0)
    {
      select->qresync = TRUE;
      select->params.uidvalidity = qresync->uidvalidity;
      select->params.highest_modseq = qresync->highest_modseq;
      if (qresync->known_uids != NULL)
        select->params.known_uids = g_array_ref (qresync->known_uids);
    }
  task = _cachet_imap_op_new (self, cancellable, callback, user_data, source_tag,
                              select, select_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;

  command = _cachet_imap_command_new (self, task, read_only ? "EXAMINE" : "SELECT",
                                      KIND_FETCH | KIND_VANISHED_EARLIER);
  command->barrier = TRUE;
  command->args = select_args;
  command->untagged = select_untagged;
  command->done = select_done;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_select_async:
 * @mailbox: the name of a mailbox, in UTF-8
 * @qresync: (nullable): what the client knows of the mailbox; with QRESYNC
 *   enabled, the server then reports what changed since (see
 *   cachet_imap_select_result_get_vanished() and
 *   cachet_imap_select_result_get_changed())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once selected
 * @user_data: data for @callback
 *
 * Selects a mailbox for reading and writing, with CONDSTORE when the server
 * has it. Commands already queued complete first; later ones wait for it.
 */
void
cachet_imap_session_select_async (CachetImapSession       *self,
                                  const char              *mailbox,
                                  const CachetImapQresync *qresync,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (mailbox != NULL);

  select_start (self, mailbox, FALSE, qresync, cancellable, callback, user_data,
                cachet_imap_session_select_async);
}

/**
 * cachet_imap_session_examine_async:
 * @mailbox: the name of a mailbox, in UTF-8
 * @qresync: (nullable): as for cachet_imap_session_select_async()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once selected
 * @user_data: data for @callback
 *
 * Selects a mailbox read-only: nothing in it can change through this
 * session, not even `\Seen`.
 */
void
cachet_imap_session_examine_async (CachetImapSession       *self,
                                   const char              *mailbox,
                                   const CachetImapQresync *qresync,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (mailbox != NULL);

  select_start (self, mailbox, TRUE, qresync, cancellable, callback, user_data,
                cachet_imap_session_examine_async);
}

/**
 * cachet_imap_session_select_finish:
 * @result: the #GAsyncResult given to the callback of select or examine
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the state of the mailbox. On failure no mailbox
 *   is selected any more.
 */
CachetImapSelectResult *
cachet_imap_session_select_finish (CachetImapSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  gpointer tag = g_task_is_valid (result, self) ? g_task_get_source_tag (G_TASK (result)) : NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (tag == cachet_imap_session_select_async ||
                        tag == cachet_imap_session_examine_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* UID SEARCH ------------------------------------------------------------------- */

typedef struct
{
  char   **criteria;
  gboolean esearch;
  GArray  *uids;
  GError  *error;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_strfreev (search->criteria);
  g_array_unref (search->uids);
  g_clear_error (&search->error);
  g_free (search);
}

/* Search keys, sets ("1:*", "5,7") and flags (`\Seen`) go as atoms; any
 * other text as a string, so that the server reads it as one. */
static gboolean
is_search_atom (const char *word)
{
  const char *p = word;

  if (*p == '\\')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-_.$:,*", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
search_args (Command            *command,
             CachetImapCommand  *builder,
             GError            **error)
{
  SearchData *search = _cachet_imap_op_get_data (command->task);
  gboolean eight_bit = FALSE;

  for (gsize i = 0; search->criteria[i] != NULL; i++)
    {
      for (const char *p = search->criteria[i]; *p != '\0'; p++)
        eight_bit |= (guchar) *p >= 0x80;
    }

  if (search->esearch)
    {
      if (!cachet_imap_command_add_atom (builder, "RETURN", error))
        return FALSE;
      cachet_imap_command_begin_list (builder);
      if (!cachet_imap_command_add_atom (builder, "ALL", error))
        return FALSE;
      cachet_imap_command_end_list (builder);
    }
  if (eight_bit && !cachet_imap_session_is_enabled (command->session, "UTF8=ACCEPT") &&
      (!cachet_imap_command_add_atom (builder, "CHARSET", error) ||
       !cachet_imap_command_add_atom (builder, "UTF-8", error)))
    return FALSE;

  for (gsize i = 0; search->criteria[i] != NULL; i++)
    {
      if (is_search_atom (search->criteria[i]))
        {
          if (!cachet_imap_command_add_atom (builder, search->criteria[i], error))
            return FALSE;
        }
      else
        {
          cachet_imap_command_add_string (builder, search->criteria[i]);
        }
    }
  return TRUE;
}

static gboolean
esearch_is_ours (Command               *command,
                 const CachetImapValue *data)
{
  const CachetImapValue *correlator;
  const char *name;
  const char *tag;

  if (cachet_imap_value_get_n_children (data) == 0)
    return FALSE;
  correlator = cachet_imap_value_get_child (data, 0);
  if (cachet_imap_value_get_value_type (correlator) != CACHET_IMAP_VALUE_LIST ||
      cachet_imap_value_get_n_children (correlator) != 2)
    return FALSE;
  name = cachet_imap_value_get_string (cachet_imap_value_get_child (correlator, 0), NULL);
  tag = cachet_imap_value_get_string (cachet_imap_value_get_child (correlator, 1), NULL);
  return name != NULL && g_ascii_strcasecmp (name, "TAG") == 0 &&
         g_strcmp0 (tag, command->tag) == 0;
}

static gboolean
search_untagged (Command            *command,
                 CachetImapResponse *response)
{
  SearchData *search = _cachet_imap_op_get_data (command->task);

  if (cachet_imap_response_get_response_type (response) == CACHET_IMAP_RESPONSE_ESEARCH)
    {
      const CachetImapValue *data = cachet_imap_response_get_data (response);
      guint n = cachet_imap_value_get_n_children (data);

      if (!esearch_is_ours (command, data))
        return FALSE;
      /* (TAG "…") UID then name-value pairs; only ALL matters here. */
      for (guint i = 1; i < n; i++)
        {
          const CachetImapValue *name = cachet_imap_value_get_child (data, i);
          const char *word = cachet_imap_value_get_atom (name);
          g_autoptr(GArray) ranges = NULL;

          if (word != NULL && g_ascii_strcasecmp (word, "UID") == 0)
            continue;
          if (i + 1 >= n)
            break;
          if (word != NULL && g_ascii_strcasecmp (word, "ALL") == 0 && search->error == NULL)
            {
              const CachetImapValue *value = cachet_imap_value_get_child (data, i + 1);
              const char *set = cachet_imap_value_get_string (value, NULL);

              ranges = set != NULL ? cachet_imap_sequence_set_parse (set, NULL) : NULL;
              if (ranges == NULL)
                search->error = g_error_new (CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
                                             _("The server %s sent search results that Cachet "
                                               "cannot read. If it keeps happening, tell your "
                                               "operator."),
                                             _cachet_imap_session_get_host (command->session));
              else if (!append_ranges (search->uids, ranges, MAX_RESULTS))
                search->error = too_many_results (command->session);
            }
          i++;
        }
      return TRUE;
    }

  if (search->error == NULL)
    {
      g_autoptr(GArray) numbers = cachet_imap_response_dup_search_results (response);

      if ((guint64) search->uids->len + numbers->len > MAX_RESULTS)
        search->error = too_many_results (command->session);
      else
        g_array_append_vals (search->uids, numbers->data, numbers->len);
    }
  return TRUE;
}

static void
search_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  SearchData *search;
  g_autoptr(GArray) uids = NULL;

  if (done_with_error (command, tagged, error))
    return;
  search = _cachet_imap_op_get_data (command->task);
  if (search->error != NULL)
    {
      _cachet_imap_op_return_error (command->task, g_steal_pointer (&search->error));
      return;
    }
  uids = search->uids->len > 0 ? sorted_uids (&g_array_index (search->uids, guint32, 0),
                                              search->uids->len, NULL)
                               : g_array_new (FALSE, FALSE, sizeof (guint32));
  _cachet_imap_op_return_pointer (command->task, g_steal_pointer (&uids),
                                  (GDestroyNotify) g_array_unref);
}

/**
 * cachet_imap_session_uid_search_async:
 * @criteria: (array zero-terminated=1): the search keys and their arguments,
 *   one word or string each: `{ "UNKEYWORD", "$Imported", "SINCE",
 *   "1-Jan-2026", NULL }`; keywords, sets and flags are sent as atoms, other
 *   words as strings (with CHARSET UTF-8 if needed)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the UIDs
 * @user_data: data for @callback
 *
 * Searches the selected mailbox, with ESEARCH when the server has it.
 */
void
cachet_imap_session_uid_search_async (CachetImapSession   *self,
                                      const char * const  *criteria,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  SearchData *search;
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (criteria != NULL && criteria[0] != NULL);

  search = g_new0 (SearchData, 1);
  search->criteria = g_strdupv ((char **) criteria);
  search->esearch = cachet_imap_session_has_capability (self, "ESEARCH");
  search->uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_uid_search_async, search, search_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;

  command = _cachet_imap_command_new (self, task, "UID SEARCH",
                                      search->esearch ? KIND_ESEARCH : KIND_SEARCH);
  command->args = search_args;
  command->untagged = search_untagged;
  command->done = search_done;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_uid_search_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type guint32): the UIDs found, sorted
 *   in increasing order, without duplicates
 */
GArray *
cachet_imap_session_uid_search_finish (CachetImapSession  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_imap_session_uid_search_message_id_async:
 * @message_id: a Message-ID, with or without its angle brackets
 *
 * Looks for the messages of the selected mailbox whose Message-ID is
 * @message_id: how a copy that may already be there (a Sent copy, a draft)
 * is found again. HEADER matches substrings: the angle brackets make the
 * match exact. Finish with cachet_imap_session_uid_search_finish().
 */
void
cachet_imap_session_uid_search_message_id_async (CachetImapSession   *self,
                                                 const char          *message_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autofree char *bracketed = NULL;
  const char *criteria[] = { "HEADER", "Message-ID", NULL, NULL };

  g_return_if_fail (message_id != NULL);

  bracketed = message_id[0] == '<' ? g_strdup (message_id) : g_strdup_printf ("<%s>", message_id);
  criteria[2] = bracketed;
  cachet_imap_session_uid_search_async (self, criteria, cancellable, callback, user_data);
}

/* UID FETCH -------------------------------------------------------------------- */

typedef struct
{
  GArray               *uids;          /* sorted */
  guint                 batch_start;
  guint                 batch_end;
  CachetImapFetchItems  items;
  char                 *section;       /* BODY.PEEK[section] */
  char                 *body_key;      /* BODY[SECTION] */
  CachetImapFetchFunc   func;
  gpointer              func_data;
  GDestroyNotify        func_data_free;
  GPtrArray            *results;       /* when there is no func */
  GHashTable           *pending;       /* uid -> result, of this batch */
  GHashTable           *delivered;     /* uids given to func, this batch */
} FetchData;

static void
fetch_data_free (gpointer data)
{
  FetchData *fetch = data;

  g_array_unref (fetch->uids);
  g_free (fetch->section);
  g_free (fetch->body_key);
  if (fetch->func_data_free != NULL)
    fetch->func_data_free (fetch->func_data);
  g_ptr_array_unref (fetch->results);
  g_hash_table_unref (fetch->pending);
  g_hash_table_unref (fetch->delivered);
  g_free (fetch);
}

static gboolean
fetch_is_complete (FetchData             *fetch,
                   CachetImapFetchResult *result)
{
  return (cachet_imap_fetch_result_get_items (result) & fetch->items) == fetch->items;
}

static void
fetch_deliver (FetchData             *fetch,
               CachetImapFetchResult *result)
{
  guint32 uid = cachet_imap_fetch_result_get_uid (result);

  g_hash_table_add (fetch->delivered, GUINT_TO_POINTER (uid));
  fetch->func (result, fetch->func_data);
}

static gboolean
fetch_untagged (Command            *command,
                CachetImapResponse *response)
{
  FetchData *fetch = _cachet_imap_op_get_data (command->task);
  CachetImapFetchResult *result;
  guint64 uid;

  if (!cachet_imap_response_get_fetch_number (response, "UID", &uid) ||
      !contains_uid (&g_array_index (fetch->uids, guint32, fetch->batch_start),
                     fetch->batch_end - fetch->batch_start, (guint32) uid))
    return FALSE;
  /* Delivered, cancelled: a later FETCH of the same message is not news. */
  if (_cachet_imap_op_is_completed (command->task) ||
      g_hash_table_contains (fetch->delivered, GUINT_TO_POINTER ((guint32) uid)))
    return TRUE;

  result = g_hash_table_lookup (fetch->pending, GUINT_TO_POINTER ((guint32) uid));
  if (result == NULL)
    {
      result = _cachet_imap_fetch_result_new ((guint32) uid);
      g_hash_table_insert (fetch->pending, GUINT_TO_POINTER ((guint32) uid), result);
      if (fetch->func == NULL)
        g_ptr_array_add (fetch->results, cachet_imap_fetch_result_ref (result));
    }
  _cachet_imap_fetch_result_merge_response (result, response, fetch->body_key);

  if (fetch->func != NULL && fetch_is_complete (fetch, result))
    {
      g_autoptr(CachetImapFetchResult) complete = cachet_imap_fetch_result_ref (result);

      /* Out of the table first: the body goes as soon as the caller is done. */
      g_hash_table_remove (fetch->pending, GUINT_TO_POINTER ((guint32) uid));
      fetch_deliver (fetch, complete);
    }
  return TRUE;
}

static gboolean
fetch_args (Command            *command,
            CachetImapCommand  *builder,
            GError            **error)
{
  FetchData *fetch = _cachet_imap_op_get_data (command->task);
  CachetImapSession *self = command->session;

  const guint32 *batch = &g_array_index (fetch->uids, guint32, fetch->batch_start);

  if (!cachet_imap_command_add_sequence_set (builder, batch,
                                             fetch->batch_end - fetch->batch_start, error))
    return FALSE;
  cachet_imap_command_begin_list (builder);
  if (!cachet_imap_command_add_atom (builder, "UID", error))
    return FALSE;
  if ((fetch->items & CACHET_IMAP_FETCH_FLAGS) &&
      !cachet_imap_command_add_atom (builder, "FLAGS", error))
    return FALSE;
  if ((fetch->items & CACHET_IMAP_FETCH_INTERNALDATE) &&
      !cachet_imap_command_add_atom (builder, "INTERNALDATE", error))
    return FALSE;
  if ((fetch->items & CACHET_IMAP_FETCH_SIZE) &&
      !cachet_imap_command_add_atom (builder, "RFC822.SIZE", error))
    return FALSE;
  if ((fetch->items & CACHET_IMAP_FETCH_MODSEQ) &&
      cachet_imap_session_is_enabled (self, "CONDSTORE") &&
      !cachet_imap_command_add_atom (builder, "MODSEQ", error))
    return FALSE;
  if (fetch->items & CACHET_IMAP_FETCH_BODY)
    {
      g_autofree char *item = g_strconcat ("BODY.PEEK[", fetch->section, "]", NULL);

      if (!cachet_imap_command_add_fetch_attribute (builder, item, error))
        return FALSE;
    }
  cachet_imap_command_end_list (builder);
  return TRUE;
}

static void fetch_next_batch (GTask *task);

static void
fetch_done (Command            *command,
            CachetImapResponse *tagged,
            const GError       *error)
{
  FetchData *fetch = _cachet_imap_op_get_data (command->task);
  GTask *task = command->task;

  if (done_with_error (command, tagged, error))
    return;

  /* Messages the server split or left incomplete are given as they are. */
  if (fetch->func != NULL)
    {
      g_autoptr(GPtrArray) left = NULL;
      GHashTableIter iter;
      gpointer value;

      left = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_fetch_result_unref);
      g_hash_table_iter_init (&iter, fetch->pending);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (left, cachet_imap_fetch_result_ref (value));
      g_hash_table_remove_all (fetch->pending);
      for (guint i = 0; i < left->len && !_cachet_imap_op_is_completed (task); i++)
        fetch_deliver (fetch, g_ptr_array_index (left, i));
      if (_cachet_imap_op_is_completed (task))
        return;
    }
  g_hash_table_remove_all (fetch->pending);
  g_hash_table_remove_all (fetch->delivered);

  fetch->batch_start = fetch->batch_end;
  if (fetch->batch_start == fetch->uids->len)
    {
      _cachet_imap_op_return_pointer (task, g_ptr_array_ref (fetch->results),
                                      (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  fetch_next_batch (task);
}

static void
fetch_next_batch (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  FetchData *fetch = op->data;
  guint size = _cachet_imap_session_get_batch_size (op->session,
                                                    fetch->items & CACHET_IMAP_FETCH_BODY);
  Command *command;

  fetch->batch_end = MIN (fetch->uids->len, fetch->batch_start + size);
  command = _cachet_imap_command_new (op->session, task, "UID FETCH", KIND_FETCH);
  command->args = fetch_args;
  command->untagged = fetch_untagged;
  command->done = fetch_done;
  _cachet_imap_session_queue (op->session, command);
}

/**
 * cachet_imap_session_uid_fetch_async:
 * @uids: (array length=n_uids): the UIDs of the messages, in any order
 * @n_uids: how many
 * @items: what to fetch of each
 * @body_section: (nullable): with %CACHET_IMAP_FETCH_BODY, the section to
 *   fetch, such as "HEADER" or "HEADER.FIELDS (MESSAGE-ID)"; %NULL or "" for
 *   the whole message
 * @func: (nullable) (scope notified): called with each message as soon as it
 *   has arrived, so that no batch is held in memory; without it, all results
 *   come back at the end
 * @func_data: data for @func
 * @func_data_free: (nullable): frees @func_data once the operation ended
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every message was fetched
 * @user_data: data for @callback
 *
 * Fetches messages of the selected mailbox in batches (see
 * cachet_imap_session_set_fetch_batch_size()), bodies with BODY.PEEK so that
 * they stay unread. Each body is held once, as received, and (with @func)
 * only until @func returns. Messages expunged meanwhile are simply missing.
 * %CACHET_IMAP_FETCH_MODSEQ is left out without CONDSTORE.
 */
void
cachet_imap_session_uid_fetch_async (CachetImapSession    *self,
                                     const guint32        *uids,
                                     gsize                 n_uids,
                                     CachetImapFetchItems  items,
                                     const char           *body_section,
                                     CachetImapFetchFunc   func,
                                     gpointer              func_data,
                                     GDestroyNotify        func_data_free,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GError) error = NULL;
  FetchData *fetch;
  GTask *task;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  fetch = g_new0 (FetchData, 1);
  fetch->items = items;
  if (!cachet_imap_session_is_enabled (self, "CONDSTORE"))
    fetch->items &= ~CACHET_IMAP_FETCH_MODSEQ;
  fetch->section = g_ascii_strup (body_section != NULL ? body_section : "", -1);
  if (items & CACHET_IMAP_FETCH_BODY)
    fetch->body_key = g_strconcat ("BODY[", fetch->section, "]", NULL);
  fetch->func = func;
  fetch->func_data = func_data;
  fetch->func_data_free = func_data_free;
  fetch->results = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_fetch_result_unref);
  fetch->pending = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) cachet_imap_fetch_result_unref);
  fetch->delivered = g_hash_table_new (NULL, NULL);
  fetch->uids = sorted_uids (uids, n_uids, &error);
  if (fetch->uids == NULL)
    fetch->uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_uid_fetch_async, fetch, fetch_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;
  if (n_uids == 0)
    {
      _cachet_imap_op_return_pointer (task, g_ptr_array_ref (fetch->results),
                                      (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (error != NULL)
    {
      _cachet_imap_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch_next_batch (task);
}

/**
 * cachet_imap_session_uid_fetch_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CachetImapFetchResult): the
 *   messages in the order they arrived; empty when a function received them
 */
GPtrArray *
cachet_imap_session_uid_fetch_finish (CachetImapSession  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* UID FETCH (CHANGEDSINCE) --------------------------------------------------------- */

typedef struct
{
  guint64     changed_since;
  gboolean    vanished_modifier;
  GPtrArray  *results;
  GArray     *vanished;
} ChangesData;

static void
changes_data_free (gpointer data)
{
  ChangesData *changes = data;

  g_clear_pointer (&changes->results, g_ptr_array_unref);
  g_clear_pointer (&changes->vanished, g_array_unref);
  g_free (changes);
}

static gboolean
changes_untagged (Command            *command,
                  CachetImapResponse *response)
{
  ChangesData *changes = _cachet_imap_op_get_data (command->task);
  guint64 uid;

  if (cachet_imap_response_get_response_type (response) == CACHET_IMAP_RESPONSE_VANISHED)
    {
      g_autoptr(GArray) ranges = cachet_imap_response_dup_vanished (response, NULL);

      if ((guint64) changes->vanished->len + ranges->len <= MAX_RESULTS)
        g_array_append_vals (changes->vanished, ranges->data, ranges->len);
      return TRUE;
    }

  if (!cachet_imap_response_get_fetch_number (response, "UID", &uid))
    return FALSE;
  if (changes->results->len < MAX_RESULTS)
    g_ptr_array_add (changes->results, _cachet_imap_fetch_result_new_from_response (response, NULL,
                                                                                    (guint32) uid));
  return TRUE;
}

static void
changes_done (Command            *command,
              CachetImapResponse *tagged,
              const GError       *error)
{
  ChangesData *changes = _cachet_imap_op_get_data (command->task);
  ChangesData *out;

  if (done_with_error (command, tagged, error))
    return;
  out = g_new0 (ChangesData, 1);
  out->results = g_steal_pointer (&changes->results);
  out->vanished = g_steal_pointer (&changes->vanished);
  _cachet_imap_op_return_pointer (command->task, out, changes_data_free);
}

static gboolean
changes_args (Command            *command,
              CachetImapCommand  *builder,
              GError            **error)
{
  ChangesData *changes = _cachet_imap_op_get_data (command->task);

  if (!cachet_imap_command_add_atom (builder, "1:*", error))
    return FALSE;
  cachet_imap_command_begin_list (builder);
  if (!cachet_imap_command_add_atom (builder, "UID", error) ||
      !cachet_imap_command_add_atom (builder, "FLAGS", error) ||
      !cachet_imap_command_add_atom (builder, "MODSEQ", error))
    return FALSE;
  cachet_imap_command_end_list (builder);
  cachet_imap_command_begin_list (builder);
  if (!cachet_imap_command_add_atom (builder, "CHANGEDSINCE", error))
    return FALSE;
  cachet_imap_command_add_number (builder, changes->changed_since);
  if (changes->vanished_modifier && !cachet_imap_command_add_atom (builder, "VANISHED", error))
    return FALSE;
  cachet_imap_command_end_list (builder);
  return TRUE;
}

/**
 * cachet_imap_session_uid_fetch_changes_async:
 * @changed_since: the HIGHESTMODSEQ the client last synchronised to
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the changes
 * @user_data: data for @callback
 *
 * Fetches the flags of the messages of the selected mailbox changed since
 * @changed_since (CONDSTORE), and with QRESYNC the UIDs expunged since.
 * Fails with %CACHET_IMAP_ERROR_NOT_SUPPORTED without CONDSTORE.
 */
void
cachet_imap_session_uid_fetch_changes_async (CachetImapSession   *self,
                                             guint64              changed_since,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  ChangesData *changes;
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  changes = g_new0 (ChangesData, 1);
  changes->changed_since = changed_since;
  changes->vanished_modifier = cachet_imap_session_is_enabled (self, "QRESYNC");
  changes->results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_imap_fetch_result_unref);
  changes->vanished = g_array_new (FALSE, FALSE, sizeof (CachetImapRange));
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_uid_fetch_changes_async, changes,
                              changes_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;
  if (!cachet_imap_session_is_enabled (self, "CONDSTORE"))
    {
      _cachet_imap_op_return_error (task, _cachet_imap_session_not_supported (self, "CONDSTORE"));
      return;
    }

  command = _cachet_imap_command_new (self, task, "UID FETCH", KIND_FETCH | KIND_VANISHED_EARLIER);
  command->args = changes_args;
  command->untagged = changes_untagged;
  command->done = changes_done;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_uid_fetch_changes_finish:
 * @result: the #GAsyncResult given to the callback
 * @vanished: (out) (optional) (transfer full) (element-type CachetImapRange):
 *   the UIDs expunged since (QRESYNC only; empty otherwise)
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CachetImapFetchResult): the
 *   changed messages, with UID, flags and mod-sequence
 */
GPtrArray *
cachet_imap_session_uid_fetch_changes_finish (CachetImapSession  *self,
                                              GAsyncResult       *result,
                                              GArray            **vanished,
                                              GError            **error)
{
  ChangesData *changes;
  GPtrArray *results;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_fetch_changes_async, NULL);

  if (vanished != NULL)
    *vanished = NULL;
  changes = g_task_propagate_pointer (G_TASK (result), error);
  if (changes == NULL)
    return NULL;
  results = g_steal_pointer (&changes->results);
  if (vanished != NULL)
    *vanished = g_steal_pointer (&changes->vanished);
  changes_data_free (changes);
  return results;
}

/* UID STORE ---------------------------------------------------------------------- */

typedef struct
{
  GArray                *uids;
  CachetImapStoreAction  action;
  char                 **flags;
  guint64                unchanged_since;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *store = data;

  g_array_unref (store->uids);
  g_strfreev (store->flags);
  g_free (store);
}

/* The server reports the new mod-sequences of the messages this STORE
 * changed: they are this client's own change, not news. */
static gboolean
store_untagged (Command            *command,
                CachetImapResponse *response)
{
  StoreData *store = _cachet_imap_op_get_data (command->task);
  guint64 uid;

  return cachet_imap_response_get_fetch_number (response, "UID", &uid) &&
         contains_uid (&g_array_index (store->uids, guint32, 0), store->uids->len, (guint32) uid);
}

static gboolean
store_args (Command            *command,
            CachetImapCommand  *builder,
            GError            **error)
{
  StoreData *store = _cachet_imap_op_get_data (command->task);
  static const char * const actions[] = {
    [CACHET_IMAP_STORE_ADD] = "+FLAGS.SILENT",
    [CACHET_IMAP_STORE_REMOVE] = "-FLAGS.SILENT",
    [CACHET_IMAP_STORE_REPLACE] = "FLAGS.SILENT",
  };

  if (!cachet_imap_command_add_sequence_set (builder, &g_array_index (store->uids, guint32, 0),
                                             store->uids->len, error))
    return FALSE;
  if (store->unchanged_since > 0)
    {
      cachet_imap_command_begin_list (builder);
      if (!cachet_imap_command_add_atom (builder, "UNCHANGEDSINCE", error))
        return FALSE;
      cachet_imap_command_add_number (builder, store->unchanged_since);
      cachet_imap_command_end_list (builder);
    }
  if (!cachet_imap_command_add_atom (builder, actions[store->action], error))
    return FALSE;
  return add_flag_list (builder, (const char * const *) store->flags, error);
}

static void
store_done (Command            *command,
            CachetImapResponse *tagged,
            const GError       *error)
{
  StoreData *store = _cachet_imap_op_get_data (command->task);
  g_autoptr(GArray) modified = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (done_with_error (command, tagged, error))
    return;

  if (cachet_imap_response_get_code (tagged) == CACHET_IMAP_RESPONSE_CODE_MODIFIED)
    {
      g_autoptr(GArray) ranges = cachet_imap_response_dup_code_uid_set (tagged, 0);

      if (ranges != NULL && !append_ranges (modified, ranges, store->uids->len))
        g_array_set_size (modified, 0);
    }
  _cachet_imap_op_return_pointer (command->task, g_steal_pointer (&modified),
                                  (GDestroyNotify) g_array_unref);
}

/**
 * cachet_imap_session_uid_store_async:
 * @uids: (array length=n_uids): the UIDs of the messages, in any order
 * @n_uids: how many
 * @action: add, remove or replace
 * @flags: (array zero-terminated=1): flags and keywords, such as `\Seen` or
 *   `$Imported`
 * @unchanged_since: with CONDSTORE, change only the messages whose
 *   mod-sequence is not above this (the others are reported as modified); 0
 *   to change them all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once stored
 * @user_data: data for @callback
 *
 * Changes flags silently (`.SILENT`): the session does not report the
 * change back as a signal. UNCHANGEDSINCE is how workstations of a practice
 * claim a message without racing each other.
 */
void
cachet_imap_session_uid_store_async (CachetImapSession     *self,
                                     const guint32         *uids,
                                     gsize                  n_uids,
                                     CachetImapStoreAction  action,
                                     const char * const    *flags,
                                     guint64                unchanged_since,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GError) error = NULL;
  StoreData *store;
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (action <= CACHET_IMAP_STORE_REPLACE);

  store = g_new0 (StoreData, 1);
  store->uids = sorted_uids (uids, n_uids, &error);
  if (store->uids == NULL)
    store->uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  store->action = action;
  store->flags = g_strdupv ((char **) flags);
  store->unchanged_since = unchanged_since;
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_uid_store_async, store, store_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;
  if (error != NULL)
    {
      _cachet_imap_op_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (unchanged_since > 0 && !cachet_imap_session_is_enabled (self, "CONDSTORE"))
    {
      _cachet_imap_op_return_error (task, _cachet_imap_session_not_supported (self, "CONDSTORE"));
      return;
    }

  command = _cachet_imap_command_new (self, task, "UID STORE", KIND_FETCH);
  command->args = store_args;
  command->untagged = store_untagged;
  command->done = store_done;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_uid_store_finish:
 * @result: the #GAsyncResult given to the callback
 * @modified: (out) (optional) (transfer full) (element-type guint32): the
 *   UIDs left unchanged because they changed since `unchanged_since`
 *   ([MODIFIED]); empty when all were stored
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the server accepted the command
 */
gboolean
cachet_imap_session_uid_store_finish (CachetImapSession  *self,
                                      GAsyncResult       *result,
                                      GArray            **modified,
                                      GError            **error)
{
  GArray *uids;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_store_async, FALSE);

  if (modified != NULL)
    *modified = NULL;
  uids = g_task_propagate_pointer (G_TASK (result), error);
  if (uids == NULL)
    return FALSE;
  if (modified != NULL)
    *modified = uids;
  else
    g_array_unref (uids);
  return TRUE;
}

/* UID COPY, UID MOVE, UID EXPUNGE ------------------------------------------------- */

typedef enum
{
  MOVE_STEP_COPY,
  MOVE_STEP_DELETE,
  MOVE_STEP_EXPUNGE,
} MoveStep;

typedef struct
{
  GArray            *uids;
  char              *destination;
  gboolean           move;
  MoveStep           step;
  CachetImapCopyUid *copyuid;
} CopyData;

static void
copy_data_free (gpointer data)
{
  CopyData *copy = data;

  g_array_unref (copy->uids);
  g_free (copy->destination);
  g_clear_pointer (&copy->copyuid, cachet_imap_copy_uid_unref);
  g_free (copy);
}

static void
copy_take_copyuid (CopyData           *copy,
                   CachetImapResponse *response)
{
  g_autoptr(GArray) source = cachet_imap_response_dup_code_uid_set (response, 1);
  g_autoptr(GArray) destination = cachet_imap_response_dup_code_uid_set (response, 2);
  guint64 uidvalidity = 0;

  if (source == NULL || destination == NULL ||
      !cachet_imap_response_get_code_number (response, &uidvalidity))
    return;
  g_clear_pointer (&copy->copyuid, cachet_imap_copy_uid_unref);
  copy->copyuid = _cachet_imap_copy_uid_new ((guint32) uidvalidity, source, destination,
                                             copy->uids->len);
  if (copy->copyuid == NULL)
    g_debug ("COPYUID does not match the messages copied; ignored");
}

/* MOVE sends COPYUID in an untagged OK, before the expunges (RFC 6851);
 * with CONDSTORE, the STORE of \Deleted is answered with the new
 * mod-sequences, which are this client's own change, not news. */
static gboolean
copy_untagged (Command            *command,
               CachetImapResponse *response)
{
  CopyData *copy = _cachet_imap_op_get_data (command->task);
  guint64 uid;

  if (cachet_imap_response_get_response_type (response) == CACHET_IMAP_RESPONSE_FETCH)
    return cachet_imap_response_get_fetch_number (response, "UID", &uid) &&
           contains_uid (&g_array_index (copy->uids, guint32, 0), copy->uids->len, (guint32) uid);

  copy_take_copyuid (copy, response);
  return TRUE;
}

static gboolean
copy_args (Command            *command,
           CachetImapCommand  *builder,
           GError            **error)
{
  CopyData *copy = _cachet_imap_op_get_data (command->task);

  if (!cachet_imap_command_add_sequence_set (builder, &g_array_index (copy->uids, guint32, 0),
                                             copy->uids->len, error))
    return FALSE;
  if (g_str_equal (command->name, "UID STORE"))
    {
      static const char * const deleted[] = { "\\Deleted", NULL };

      if (!cachet_imap_command_add_atom (builder, "+FLAGS.SILENT", error))
        return FALSE;
      return add_flag_list (builder, deleted, error);
    }
  if (g_str_equal (command->name, "UID EXPUNGE"))
    return TRUE;
  return cachet_imap_command_add_mailbox (builder, copy->destination, error);
}

static void copy_next (GTask *task);

static void
copy_done (Command            *command,
           CachetImapResponse *tagged,
           const GError       *error)
{
  CopyData *copy = _cachet_imap_op_get_data (command->task);
  GTask *task = command->task;

  /* The source is only marked and expunged once the copy succeeded: a
   * failure at any step leaves every message where it was, or in both. */
  if (done_with_error (command, tagged, error))
    return;
  if (cachet_imap_response_get_code (tagged) == CACHET_IMAP_RESPONSE_CODE_COPYUID)
    copy_take_copyuid (copy, tagged);

  if (copy->move && copy->step != MOVE_STEP_EXPUNGE &&
      !g_str_equal (command->name, "UID MOVE"))
    {
      copy->step++;
      copy_next (task);
      return;
    }
  _cachet_imap_op_return_pointer (task, g_steal_pointer (&copy->copyuid),
                                  (GDestroyNotify) cachet_imap_copy_uid_unref);
}

static void
copy_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  CopyData *copy = op->data;
  CachetImapSession *self = op->session;
  const char *name;
  Command *command;

  switch (copy->step)
    {
    case MOVE_STEP_COPY:
      name = copy->move && cachet_imap_session_has_capability (self, "MOVE") ? "UID MOVE"
                                                                            : "UID COPY";
      break;
    case MOVE_STEP_DELETE:
      name = "UID STORE";
      break;
    case MOVE_STEP_EXPUNGE:
    default:
      name = "UID EXPUNGE";
      break;
    }

  command = _cachet_imap_command_new (self, task, name,
                                      g_str_equal (name, "UID MOVE") ? KIND_COPYUID :
                                      g_str_equal (name, "UID STORE") ? KIND_FETCH : KIND_NONE);
  command->args = copy_args;
  command->untagged = copy_untagged;
  command->done = copy_done;
  _cachet_imap_session_queue (self, command);
}

static void
copy_start (CachetImapSession   *self,
            const guint32       *uids,
            gsize                n_uids,
            const char          *destination,
            gboolean             move,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GError) error = NULL;
  CopyData *copy;
  GTask *task;

  copy = g_new0 (CopyData, 1);
  copy->uids = sorted_uids (uids, n_uids, &error);
  if (copy->uids == NULL)
    copy->uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  copy->destination = destination != NULL ? g_strdup (destination) : NULL;
  copy->move = move;
  copy->step = destination != NULL ? MOVE_STEP_COPY : MOVE_STEP_EXPUNGE;
  task = _cachet_imap_op_new (self, cancellable, callback, user_data, source_tag,
                              copy, copy_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;
  if (error != NULL)
    {
      _cachet_imap_op_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A plain EXPUNGE would also remove the messages other clients of the
   * practice marked \Deleted: only UID EXPUNGE (UIDPLUS) is ever used. */
  if (move && !cachet_imap_session_has_capability (self, "MOVE") &&
      !cachet_imap_session_has_capability (self, "UIDPLUS"))
    {
      _cachet_imap_op_return_error (task, g_error_new (CACHET_IMAP_ERROR,
                                                       CACHET_IMAP_ERROR_NOT_SUPPORTED,
                                                       _("The server %s can neither move messages "
                                                         "(MOVE) nor delete only chosen messages "
                                                         "(UIDPLUS), so Cachet does not move "
                                                         "messages there. Ask your operator to "
                                                         "enable MOVE or UIDPLUS."),
                                                       _cachet_imap_session_get_host (self)));
      return;
    }
  if (destination == NULL && !cachet_imap_session_has_capability (self, "UIDPLUS"))
    {
      _cachet_imap_op_return_error (task, _cachet_imap_session_not_supported (self, "UIDPLUS"));
      return;
    }

  copy_next (task);
}

/**
 * cachet_imap_session_uid_copy_async:
 * @uids: (array length=n_uids): the UIDs of the messages, in any order
 * @n_uids: how many
 * @destination: the name of the mailbox to copy to, in UTF-8
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once copied
 * @user_data: data for @callback
 *
 * Copies messages of the selected mailbox. If the destination does not
 * exist, the error's response code (cachet_imap_session_result_get_code())
 * is %CACHET_IMAP_RESPONSE_CODE_TRYCREATE.
 */
void
cachet_imap_session_uid_copy_async (CachetImapSession   *self,
                                    const guint32       *uids,
                                    gsize                n_uids,
                                    const char          *destination,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (destination != NULL);

  copy_start (self, uids, n_uids, destination, FALSE, cancellable, callback, user_data,
              cachet_imap_session_uid_copy_async);
}

/**
 * cachet_imap_session_uid_copy_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): where the copies are, or %NULL
 *   without an error when the server does not say (no UIDPLUS)
 */
CachetImapCopyUid *
cachet_imap_session_uid_copy_finish (CachetImapSession  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_copy_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_imap_session_uid_move_async:
 * @uids: (array length=n_uids): the UIDs of the messages, in any order
 * @n_uids: how many
 * @destination: the name of the mailbox to move to, in UTF-8
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once moved
 * @user_data: data for @callback
 *
 * Moves messages of the selected mailbox: UID MOVE when the server has it,
 * otherwise UID COPY, then `\Deleted` on the originals, then UID EXPUNGE of
 * exactly those (UIDPLUS). Never a plain EXPUNGE, which would also remove
 * what other clients marked `\Deleted`: without MOVE and UIDPLUS this fails
 * with %CACHET_IMAP_ERROR_NOT_SUPPORTED and sends nothing.
 */
void
cachet_imap_session_uid_move_async (CachetImapSession   *self,
                                    const guint32       *uids,
                                    gsize                n_uids,
                                    const char          *destination,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (destination != NULL);

  copy_start (self, uids, n_uids, destination, TRUE, cancellable, callback, user_data,
              cachet_imap_session_uid_move_async);
}

/**
 * cachet_imap_session_uid_move_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): where the messages went, or %NULL
 *   without an error when the server does not say
 */
CachetImapCopyUid *
cachet_imap_session_uid_move_finish (CachetImapSession  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_move_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_imap_session_uid_expunge_async:
 * @uids: (array length=n_uids): the UIDs of the messages, in any order
 * @n_uids: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once expunged
 * @user_data: data for @callback
 *
 * Removes for good those of these messages that are marked `\Deleted`, and
 * no other (UID EXPUNGE, UIDPLUS). Fails with
 * %CACHET_IMAP_ERROR_NOT_SUPPORTED without UIDPLUS: there is no safe
 * fallback.
 */
void
cachet_imap_session_uid_expunge_async (CachetImapSession   *self,
                                       const guint32       *uids,
                                       gsize                n_uids,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));

  copy_start (self, uids, n_uids, NULL, FALSE, cancellable, callback, user_data,
              cachet_imap_session_uid_expunge_async);
}

gboolean
cachet_imap_session_uid_expunge_finish (CachetImapSession  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CachetImapCopyUid) copyuid = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_uid_expunge_async, FALSE);

  copyuid = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* APPEND --------------------------------------------------------------------------- */

typedef struct
{
  char      *mailbox;
  GBytes    *message;
  char     **flags;
  GDateTime *internaldate;
  guint32    uidvalidity;
  guint32    uid;
} AppendData;

static void
append_data_free (gpointer data)
{
  AppendData *append = data;

  g_free (append->mailbox);
  g_bytes_unref (append->message);
  g_strfreev (append->flags);
  g_clear_pointer (&append->internaldate, g_date_time_unref);
  g_free (append);
}

static gboolean
append_args (Command            *command,
             CachetImapCommand  *builder,
             GError            **error)
{
  AppendData *append = _cachet_imap_op_get_data (command->task);

  if (!cachet_imap_command_add_mailbox (builder, append->mailbox, error))
    return FALSE;
  if (append->flags != NULL && append->flags[0] != NULL &&
      !add_flag_list (builder, (const char * const *) append->flags, error))
    return FALSE;
  if (append->internaldate != NULL)
    {
      g_autofree char *date = _cachet_imap_format_date_time (append->internaldate);

      if (!cachet_imap_command_add_quoted (builder, date, error))
        return FALSE;
    }
  return cachet_imap_command_add_literal (builder, append->message, error);
}

static void
append_done (Command            *command,
             CachetImapResponse *tagged,
             const GError       *error)
{
  AppendData *append = _cachet_imap_op_get_data (command->task);

  if (done_with_error (command, tagged, error))
    return;
  if (cachet_imap_response_get_code (tagged) == CACHET_IMAP_RESPONSE_CODE_APPENDUID)
    {
      g_autoptr(GArray) uids = cachet_imap_response_dup_code_uid_set (tagged, 1);
      guint64 uidvalidity = 0;

      const CachetImapRange *range = uids != NULL && uids->len == 1
                                     ? &g_array_index (uids, CachetImapRange, 0) : NULL;

      /* One message appended: one UID. */
      if (range != NULL && range->first == range->last &&
          cachet_imap_response_get_code_number (tagged, &uidvalidity))
        {
          append->uidvalidity = (guint32) uidvalidity;
          append->uid = range->first;
        }
    }
  _cachet_imap_op_return_boolean (command->task, TRUE);
}

/**
 * cachet_imap_session_append_async:
 * @mailbox: the name of the mailbox, in UTF-8
 * @message: the whole message, with CRLF line ends
 * @flags: (nullable) (array zero-terminated=1): its flags, such as `\Seen`
 *   or `\Draft`
 * @internaldate: (nullable): the date to give it, rather than now
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once stored
 * @user_data: data for @callback
 *
 * Stores a message (for Sent and Drafts). The message goes as a literal,
 * non-synchronising with LITERAL+. If the mailbox does not exist, the
 * error's response code is %CACHET_IMAP_RESPONSE_CODE_TRYCREATE.
 */
void
cachet_imap_session_append_async (CachetImapSession   *self,
                                  const char          *mailbox,
                                  GBytes              *message,
                                  const char * const  *flags,
                                  GDateTime           *internaldate,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  AppendData *append;
  GTask *task;
  Command *command;

  g_return_if_fail (CACHET_IS_IMAP_SESSION (self));
  g_return_if_fail (mailbox != NULL);
  g_return_if_fail (message != NULL);

  append = g_new0 (AppendData, 1);
  append->mailbox = g_strdup (mailbox);
  append->message = g_bytes_ref (message);
  append->flags = flags != NULL ? g_strdupv ((char **) flags) : NULL;
  append->internaldate = internaldate != NULL ? g_date_time_ref (internaldate) : NULL;
  task = _cachet_imap_op_new (self, cancellable, callback, user_data,
                              cachet_imap_session_append_async, append, append_data_free);
  if (!_cachet_imap_op_check_ready (task))
    return;

  command = _cachet_imap_command_new (self, task, "APPEND", KIND_NONE);
  command->args = append_args;
  command->done = append_done;
  _cachet_imap_session_queue (self, command);
}

/**
 * cachet_imap_session_append_finish:
 * @result: the #GAsyncResult given to the callback
 * @uidvalidity: (out) (optional): the UIDVALIDITY of the mailbox, 0 if the
 *   server did not say (APPENDUID, UIDPLUS)
 * @uid: (out) (optional): the UID of the new message, 0 if not known
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the message was stored
 */
gboolean
cachet_imap_session_append_finish (CachetImapSession  *self,
                                   GAsyncResult       *result,
                                   guint32            *uidvalidity,
                                   guint32            *uid,
                                   GError            **error)
{
  AppendData *append;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_imap_session_append_async, FALSE);

  append = _cachet_imap_op_get_data (G_TASK (result));
  if (uidvalidity != NULL)
    *uidvalidity = 0;
  if (uid != NULL)
    *uid = 0;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (uidvalidity != NULL)
    *uidvalidity = append->uidvalidity;
  if (uid != NULL)
    *uid = append->uid;
  return TRUE;
}
