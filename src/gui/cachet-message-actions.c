/* cachet-message-actions.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-folder.h"
#include "cachet-lab-mail-import.h"
#include "cachet-lab-settings.h"
#include "cachet-message-actions.h"

/* What the user does to the selected messages: mark them read or unread,
 * star them, move them, delete them, file the lab results of one. Each
 * action changes the local index at once, so the list reacts without
 * waiting for the network, and is queued for the server; the next sync
 * replays it.
 *
 * The actions ("message.read", "message.flagged", "message.move-to",
 * "message.delete", "message.file-lab-results") follow the selection:
 * disabled when nothing is selected (filing, unless exactly one message
 * is), and the two toggles show the state of the selection (on when every
 * selected message is read, or starred). */

/* The toggles' state is read from this many selected messages at most: a
 * select-all in a large folder must not read the whole index. */
#define MAX_STATE_MESSAGES 1000

struct _CachetMessageActions
{
  GObject             parent_instance;

  GtkSelectionModel  *selection;
  GSimpleActionGroup *group;
  GMenu              *move_menu;
  CachetStore        *store;
  char               *folder;
  GListModel         *folders;
  GCancellable       *cancellable;
  /* Where lab results are filed, read at each filing. */
  GSettings          *settings;
};

G_DEFINE_FINAL_TYPE (CachetMessageActions, cachet_message_actions, G_TYPE_OBJECT)

enum {
  APPLIED,
  FAILED,
  INFORM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The selected messages, in list order. */
static GPtrArray *
dup_selected (CachetMessageActions *self,
              guint                 limit)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (self->selection);
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more && messages->len < limit;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      CachetMessageInfo *info = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (info != NULL)
        g_ptr_array_add (messages, info);
    }
  return messages;
}

static gboolean
all_have_flag (GPtrArray          *messages,
               CachetMessageFlags  flag)
{
  for (guint i = 0; i < messages->len; i++)
    {
      if ((cachet_message_info_get_flags (g_ptr_array_index (messages, i)) & flag) == 0)
        return FALSE;
    }
  return messages->len > 0;
}

static void
set_action_state (CachetMessageActions *self,
                  const char           *name,
                  gboolean              enabled,
                  gboolean              active)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->group), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
  if (g_action_get_state_type (action) != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (active));
}

static void
update_actions (CachetMessageActions *self)
{
  g_autoptr(GPtrArray) messages = dup_selected (self, MAX_STATE_MESSAGES);
  gboolean enabled = self->store != NULL && messages->len > 0;

  set_action_state (self, "read", enabled, all_have_flag (messages, CACHET_MESSAGE_FLAG_SEEN));
  set_action_state (self, "flagged", enabled, all_have_flag (messages, CACHET_MESSAGE_FLAG_FLAGGED));
  set_action_state (self, "delete", enabled, FALSE);
  set_action_state (self, "file-lab-results", enabled && messages->len == 1, FALSE);
  set_action_state (self, "move-to", enabled && g_menu_model_get_n_items (G_MENU_MODEL (self->move_menu)) > 0,
                    FALSE);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CachetMessageActions) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cachet_store_apply_action_finish (CACHET_STORE (source), result, &error) == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, error->message);
      return;
    }
  g_signal_emit (self, signals[APPLIED], 0);
}

static void
apply (CachetMessageActions *self,
       CachetPendingAction  *action)
{
  cachet_store_apply_action_async (self->store, action, NULL, self->cancellable,
                                   applied_cb, g_object_ref (self));
}

/* An action on @messages, all in the folder shown. */
static CachetPendingAction *
new_action (CachetMessageActions     *self,
            CachetPendingActionKind   kind,
            GPtrArray                *messages)
{
  g_autoptr(CachetPendingAction) action = NULL;
  g_autoptr(CachetFolderInfo) folder = NULL;
  g_autoptr(GError) error = NULL;

  folder = cachet_store_get_folder (self->store, self->folder, &error);
  if (folder == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, error->message);
      return NULL;
    }

  action = cachet_pending_action_new (kind, self->folder);
  action->uidvalidity = folder->uidvalidity;
  for (guint i = 0; i < messages->len; i++)
    {
      guint32 uid = cachet_message_info_get_uid (g_ptr_array_index (messages, i));

      g_array_append_val (action->uids, uid);
    }
  return g_steal_pointer (&action);
}

static void
change_flag (CachetMessageActions *self,
             CachetMessageFlags    flag,
             gboolean              set)
{
  g_autoptr(GPtrArray) messages = dup_selected (self, G_MAXUINT);
  g_autoptr(CachetPendingAction) action = NULL;

  action = new_action (self, set ? CACHET_PENDING_ACTION_ADD_FLAGS : CACHET_PENDING_ACTION_REMOVE_FLAGS,
                       messages);
  if (action == NULL)
    return;
  action->flags = flag;
  apply (self, action);
}

static void
read_change_state (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  change_flag (user_data, CACHET_MESSAGE_FLAG_SEEN, g_variant_get_boolean (state));
  g_simple_action_set_state (action, state);
}

static void
flagged_change_state (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  change_flag (user_data, CACHET_MESSAGE_FLAG_FLAGGED, g_variant_get_boolean (state));
  g_simple_action_set_state (action, state);
}

static void
move_to_activate (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CachetMessageActions *self = user_data;
  g_autoptr(GPtrArray) messages = dup_selected (self, G_MAXUINT);
  g_autoptr(CachetPendingAction) move = new_action (self, CACHET_PENDING_ACTION_MOVE, messages);

  if (move == NULL)
    return;
  move->target_folder = g_variant_dup_string (parameter, NULL);
  apply (self, move);
}

static void
delete_activate (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CachetMessageActions *self = user_data;
  g_autoptr(GPtrArray) messages = dup_selected (self, G_MAXUINT);
  g_autoptr(CachetPendingAction) template = new_action (self, CACHET_PENDING_ACTION_DELETE, messages);
  g_autoptr(CachetPendingAction) delete = NULL;
  g_autoptr(GError) error = NULL;

  if (template == NULL)
    return;
  /* To the trash, or for good from the trash: the store knows which. */
  delete = cachet_store_new_delete_action (self->store, self->folder, template->uidvalidity,
                                           &g_array_index (template->uids, guint32, 0),
                                           template->uids->len, &error);
  if (delete == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, error->message);
      return;
    }
  apply (self, delete);
}

/* What filing one message gave, as the user reads it: each outcome in a
 * few words, or alone, as a sentence of its own. */
static char *
describe_filing (GPtrArray *entries,
                 gboolean  *show_results)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *patient = NULL;
  gboolean one_patient = TRUE;
  guint filed = 0, pending = 0, known = 0, unreadable = 0;
  gboolean alone;

  for (guint i = 0; i < entries->len; i++)
    {
      CachetLabJournalEntry *entry = g_ptr_array_index (entries, i);
      const char *name = cachet_lab_journal_entry_get_patient (entry);

      switch (cachet_lab_journal_entry_get_status (entry))
        {
        case CACHET_LAB_ENTRY_STATUS_FILED:
          if (filed++ == 0)
            patient = name;
          else if (g_strcmp0 (patient, name) != 0)
            one_patient = FALSE;
          break;
        case CACHET_LAB_ENTRY_STATUS_PENDING:
          pending++;
          break;
        /* Filed before, or older than a version filed before: nothing new. */
        case CACHET_LAB_ENTRY_STATUS_DUPLICATE:
        case CACHET_LAB_ENTRY_STATUS_REPLACED:
          known++;
          break;
        case CACHET_LAB_ENTRY_STATUS_UNRECOGNISED:
          unreadable++;
          break;
        }
    }
  alone = (filed > 0) + (pending > 0) + (known > 0) + (unreadable > 0) == 1;

  if (filed > 0 && one_patient && patient != NULL)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Filed %u lab result for %s",
                                                          "Filed %u lab results for %s", filed),
                                             filed, patient));
  else if (filed > 0 && !one_patient)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Filed %u lab result for several patients",
                                                          "Filed %u lab results for several patients", filed),
                                             filed));
  else if (filed > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Filed %u lab result",
                                                          "Filed %u lab results", filed),
                                             filed));
  if (pending > 0 && alone)
    g_ptr_array_add (parts, g_strdup (_("Waiting for you to confirm the patient")));
  else if (pending > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%u waiting for you to confirm the patient",
                                                          "%u waiting for you to confirm the patient", pending),
                                             pending));
  if (known > 0 && alone)
    g_ptr_array_add (parts, g_strdup (_("Already filed")));
  else if (known > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u already filed",
                                                          "%u already filed", known),
                                             known));
  if (unreadable > 0 && alone)
    g_ptr_array_add (parts, g_strdup (_("The lab file could not be read: it is kept as it came, and Results says why")));
  else if (unreadable > 0)
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u could not be read",
                                                          "%u could not be read", unreadable),
                                             unreadable));
  g_ptr_array_add (parts, NULL);

  *show_results = filed > 0 || pending > 0 || unreadable > 0;
  /* Translators: joins "Filed 1 lab result for …", "1 already filed"… */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

static void
lab_results_filed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CachetMessageActions) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CachetLabMailReport report;
  gboolean show_results;

  entries = cachet_lab_mail_import_message_finish (CACHET_LAB_MAIL_IMPORT (source), result, &report, &error);
  if (entries == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_NO_RESULT))
        g_signal_emit (self, signals[INFORM], 0, error->message, NULL, NULL);
      else if (g_error_matches (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND))
        g_signal_emit (self, signals[INFORM], 0,
                       _("This message is no longer in the folder: select it where it was moved, then try again"),
                       NULL, NULL);
      else
        {
          /* The filer says what to do; most often the folders chosen in
           * Preferences cannot be written. */
          text = g_strdup_printf (_("Lab results could not be filed: %s"), error->message);
          g_signal_emit (self, signals[INFORM], 0, text, _("Preferences"), "app.preferences");
        }
      return;
    }

  text = describe_filing (entries, &show_results);
  g_signal_emit (self, signals[INFORM], 0, text, show_results ? _("Show Results") : NULL,
                 show_results ? "app.show-results" : NULL);
  /* The keyword is in the index and queued: the next sync tells the other
   * workstations. */
  if (report.tagged > 0)
    g_signal_emit (self, signals[APPLIED], 0);
}

/* Files the lab results of the one selected message, whatever the
 * automatic import did with it and whether or not it is on. */
static void
file_lab_results_activate (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  CachetMessageActions *self = user_data;
  g_autoptr(GPtrArray) messages = dup_selected (self, 2);
  g_autoptr(CachetLabMailImport) import = NULL;

  if (self->store == NULL || messages->len != 1)
    return;
  import = cachet_lab_settings_new_mail_import (self->settings, self->store);
  cachet_lab_mail_import_message_async (import, self->folder,
                                        cachet_message_info_get_uid (g_ptr_array_index (messages, 0)),
                                        self->cancellable, lab_results_filed_cb, g_object_ref (self));
}

/* The folders the selection can move to: every folder of the account but
 * the one shown. */
static void
rebuild_move_menu (CachetMessageActions *self)
{
  guint n_folders = self->folders != NULL ? g_list_model_get_n_items (self->folders) : 0;

  g_menu_remove_all (self->move_menu);
  for (guint i = 0; i < n_folders; i++)
    {
      g_autoptr(CachetFolder) folder = g_list_model_get_item (self->folders, i);
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (cachet_folder_get_name (folder), self->folder) == 0)
        continue;
      item = g_menu_item_new (cachet_folder_get_display_name (folder), NULL);
      g_menu_item_set_action_and_target_value (item, "message.move-to",
                                               g_variant_new_string (cachet_folder_get_name (folder)));
      g_menu_append_item (self->move_menu, item);
    }
  update_actions (self);
}

/**
 * cachet_message_actions_new:
 * @selection: the message list's selection, of #CachetMessageInfo
 *
 * Returns: (transfer full): the actions on the messages @selection selects
 */
CachetMessageActions *
cachet_message_actions_new (GtkSelectionModel *selection)
{
  CachetMessageActions *self;

  g_return_val_if_fail (GTK_IS_SELECTION_MODEL (selection), NULL);

  self = g_object_new (CACHET_TYPE_MESSAGE_ACTIONS, NULL);
  self->selection = g_object_ref (selection);
  g_signal_connect_object (selection, "selection-changed", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (selection, "items-changed", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
  return self;
}

/**
 * cachet_message_actions_get_action_group:
 *
 * Returns: (transfer none): the actions, to insert as "message"
 */
GActionGroup *
cachet_message_actions_get_action_group (CachetMessageActions *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_ACTIONS (self), NULL);
  return G_ACTION_GROUP (self->group);
}

/**
 * cachet_message_actions_get_move_menu:
 *
 * Returns: (transfer none): a menu of the folders the selection can move to
 */
GMenuModel *
cachet_message_actions_get_move_menu (CachetMessageActions *self)
{
  g_return_val_if_fail (CACHET_IS_MESSAGE_ACTIONS (self), NULL);
  return G_MENU_MODEL (self->move_menu);
}

/**
 * cachet_message_actions_set_folder:
 * @store: (nullable): the store of the folder shown
 * @folder: (nullable): the folder shown
 * @folders: (nullable): the account's folders, of #CachetFolder, for moves
 *
 * Says where the selected messages are. Actions still running finish.
 */
void
cachet_message_actions_set_folder (CachetMessageActions *self,
                                   CachetStore          *store,
                                   const char           *folder,
                                   GListModel           *folders)
{
  g_return_if_fail (CACHET_IS_MESSAGE_ACTIONS (self));

  if (folder == NULL)
    store = NULL;
  g_set_object (&self->store, store);
  g_free (self->folder);
  self->folder = g_strdup (folder);
  if (self->folders != NULL)
    g_signal_handlers_disconnect_by_func (self->folders, rebuild_move_menu, self);
  g_set_object (&self->folders, folders);
  if (folders != NULL)
    g_signal_connect_object (folders, "items-changed", G_CALLBACK (rebuild_move_menu), self,
                             G_CONNECT_SWAPPED);
  rebuild_move_menu (self);
}

/**
 * cachet_message_actions_mark_read:
 * @info: a message of the folder shown, just opened
 *
 * Marks @info read, as opening a message does, if it is not already.
 */
void
cachet_message_actions_mark_read (CachetMessageActions *self,
                                  CachetMessageInfo    *info)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new ();
  g_autoptr(CachetPendingAction) action = NULL;

  g_return_if_fail (CACHET_IS_MESSAGE_ACTIONS (self));
  g_return_if_fail (CACHET_IS_MESSAGE_INFO (info));

  if (self->store == NULL || (cachet_message_info_get_flags (info) & CACHET_MESSAGE_FLAG_SEEN) != 0)
    return;
  g_ptr_array_add (messages, info);
  action = new_action (self, CACHET_PENDING_ACTION_ADD_FLAGS, messages);
  if (action == NULL)
    return;
  action->flags = CACHET_MESSAGE_FLAG_SEEN;
  apply (self, action);
}

static void
cachet_message_actions_dispose (GObject *object)
{
  CachetMessageActions *self = CACHET_MESSAGE_ACTIONS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->folders);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cachet_message_actions_parent_class)->dispose (object);
}

static void
cachet_message_actions_finalize (GObject *object)
{
  CachetMessageActions *self = CACHET_MESSAGE_ACTIONS (object);

  g_clear_object (&self->group);
  g_clear_object (&self->move_menu);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->folder, g_free);

  G_OBJECT_CLASS (cachet_message_actions_parent_class)->finalize (object);
}

static void
cachet_message_actions_class_init (CachetMessageActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_message_actions_dispose;
  object_class->finalize = cachet_message_actions_finalize;

  /**
   * CachetMessageActions::applied:
   *
   * An action changed the index: lists and counts need reloading.
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CachetMessageActions::failed:
   * @message: what went wrong, for the user
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CachetMessageActions::inform:
   * @text: what an action did, for the user
   * @button_label: (nullable): the label of a button that goes on from there
   * @button_action: (nullable): the detailed action the button activates
   */
  signals[INFORM] = g_signal_new ("inform", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cachet_message_actions_init (CachetMessageActions *self)
{
  const GActionEntry entries[] = {
    { .name = "read", .state = "false", .change_state = read_change_state },
    { .name = "flagged", .state = "false", .change_state = flagged_change_state },
    { .name = "move-to", .parameter_type = "s", .activate = move_to_activate },
    { .name = "delete", .activate = delete_activate },
    { .name = "file-lab-results", .activate = file_lab_results_activate },
  };

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  self->move_menu = g_menu_new ();
  self->group = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->group), entries, G_N_ELEMENTS (entries), self);
}
