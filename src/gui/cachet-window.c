/* cachet-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-account-sync.h"
#include "cachet-composer-window.h"
#include "cachet-folder-list.h"
#include "cachet-inbox-watcher.h"
#include "cachet-lab-journal-entry.h"
#include "cachet-lab-mail-import.h"
#include "cachet-lab-settings.h"
#include "cachet-message-actions.h"
#include "cachet-message-list.h"
#include "cachet-message-row.h"
#include "cachet-message-view.h"
#include "cachet-outbox-window.h"
#include "cachet-security-banner.h"
#include "cachet-smime.h"
#include "cachet-window.h"

struct _CachetWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  /* Kept apart from GtkWindow's: a closed window lives on while its last
   * tasks finish, and GTK has let go of the application by then. */
  CachetApplication    *application;
  CachetAccountList    *accounts;
  /* Accounts with their folders under them. */
  GtkTreeListModel     *sidebar_model;
  GtkSingleSelection   *sidebar_selection;
  /* The folder selected in the sidebar, its messages, and what the list
   * shows: those messages or the results of a search among them. */
  CachetStore          *store;
  CachetMessageList    *folder_messages;
  GListStore           *search_results;
  GCancellable         *search_cancellable;
  GtkMultiSelection    *message_selection;
  CachetMessageActions *message_actions;
  /* The message in the reading pane, kept while the selection is rebuilt. */
  CachetMessageInfo    *shown_message;
  /* Whether the folder shown is the drafts folder. */
  gboolean              showing_drafts;
  /* Account id → the CachetFolderList shown under it, to reload after sync. */
  GHashTable           *folder_lists;
  /* Cancelled when the window closes: nothing it started outlives it. */
  GCancellable         *cancellable;
  /* The message being opened in the reading pane, replaced by the next. */
  GCancellable         *open_cancellable;
  /* Account id → SyncState, for the accounts syncing now. */
  GHashTable           *syncing;
  /* Account id → the last sync error shown, while it lasts. */
  GHashTable           *sync_errors;
  /* Account id → the CachetInboxWatcher keeping its inbox open. */
  GHashTable           *inbox_watchers;
  guint                 sync_timeout_id;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *sync_stack;
  AdwLeaflet           *main_leaflet;
  AdwLeaflet           *content_leaflet;
  GtkListView          *folder_list;
  GtkListView          *message_list;
  GtkStack             *message_list_stack;
  AdwWindowTitle       *message_list_title;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  CachetSecurityBanner *security_banner;
  GtkStack             *reading_stack;
  CachetMessageView    *message_view;
  GtkMenuButton        *move_button;
  GtkWidget            *edit_draft_button;
};

G_DEFINE_FINAL_TYPE (CachetWindow, cachet_window, ADW_TYPE_APPLICATION_WINDOW)

/* New mail is fetched this often while the window is open. */
#define SYNC_INTERVAL_SECONDS (5 * 60)

/* A search lists its best matches, newest first; more would not be read. */
#define MAX_SEARCH_RESULTS 500

/* A reload keeps up to this many selected messages selected. */
#define MAX_KEPT_SELECTION 1000

static CachetApplication *
get_application (CachetWindow *self)
{
  return self->application;
}

/* The folders shown under an account, from its index. */
static GListModel *
create_folder_model (gpointer item,
                     gpointer user_data)
{
  CachetWindow *self = user_data;
  g_autoptr(CachetFolderList) folders = NULL;
  g_autoptr(GError) error = NULL;
  CachetStore *store;

  if (!CACHET_IS_ACCOUNT (item))
    return NULL;

  store = cachet_application_get_store (get_application (self), item, &error);
  if (store == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  folders = cachet_folder_list_new (store);
  if (!cachet_folder_list_reload (folders, &error))
    g_warning ("%s", error->message);
  g_hash_table_replace (self->folder_lists, g_strdup (cachet_account_get_id (item)), g_object_ref (folders));

  return G_LIST_MODEL (g_steal_pointer (&folders));
}

static const char *
folder_icon_name (CachetFolder *folder)
{
  static const struct { const char *special_use; const char *icon; } icons[] = {
    { "\\Drafts", "document-edit-symbolic" },
    { "\\Sent", "mail-send-symbolic" },
    { "\\Junk", "mail-mark-junk-symbolic" },
    { "\\Trash", "user-trash-symbolic" },
    { "\\Flagged", "starred-symbolic" },
  };
  const char *special_use = cachet_folder_get_special_use (folder);

  if (g_ascii_strcasecmp (cachet_folder_get_name (folder), "INBOX") == 0)
    return "mail-unread-symbolic";
  for (guint i = 0; special_use != NULL && i < G_N_ELEMENTS (icons); i++)
    {
      if (g_ascii_strcasecmp (special_use, icons[i].special_use) == 0)
        return icons[i].icon;
    }
  return "folder-symbolic";
}

static void
sidebar_row_setup_cb (CachetWindow *self,
                      GtkListItem  *list_item)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), gtk_image_new ());
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
show_unread_count (CachetFolder *folder,
                   GParamSpec   *pspec,
                   GtkLabel     *count)
{
  guint unread = cachet_folder_get_unread_count (folder);
  g_autofree char *unread_text = g_strdup_printf ("%u", unread);

  gtk_label_set_text (count, unread_text);
  gtk_widget_set_visible (GTK_WIDGET (count), unread > 0);
}

static void
sidebar_row_bind_cb (CachetWindow *self,
                     GtkListItem  *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  GtkWidget *count = gtk_widget_get_next_sibling (label);
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);

  if (CACHET_IS_ACCOUNT (item))
    {
      CachetAccount *account = CACHET_ACCOUNT (item);

      /* An account is a heading: its folders are what one opens. */
      gtk_list_item_set_selectable (list_item, FALSE);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), "avatar-default-symbolic");
      gtk_label_set_text (GTK_LABEL (label), cachet_account_get_name (account));
      gtk_widget_set_tooltip_text (label, cachet_account_get_address (account));
      gtk_widget_set_visible (count, FALSE);
    }
  else
    {
      CachetFolder *folder = CACHET_FOLDER (item);

      gtk_list_item_set_selectable (list_item, TRUE);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), folder_icon_name (folder));
      gtk_label_set_text (GTK_LABEL (label), cachet_folder_get_display_name (folder));
      gtk_widget_set_tooltip_text (label, NULL);
      show_unread_count (folder, NULL, GTK_LABEL (count));
      /* Counts change in place as mail is read and arrives. */
      g_signal_connect_object (folder, "notify::unread-count", G_CALLBACK (show_unread_count), count, 0);
    }
}

static void
sidebar_row_unbind_cb (CachetWindow *self,
                       GtkListItem  *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

  if (CACHET_IS_FOLDER (item))
    g_signal_handlers_disconnect_by_func (item, show_unread_count, NULL);
}

static void
message_row_setup_cb (CachetWindow *self,
                      GtkListItem  *list_item)
{
  gtk_list_item_set_child (list_item, GTK_WIDGET (cachet_message_row_new ()));
}

static void
message_row_bind_cb (CachetWindow *self,
                     GtkListItem  *list_item)
{
  cachet_message_row_set_info (CACHET_MESSAGE_ROW (gtk_list_item_get_child (list_item)),
                               gtk_list_item_get_item (list_item));
}

static void
message_row_unbind_cb (CachetWindow *self,
                       GtkListItem  *list_item)
{
  cachet_message_row_set_info (CACHET_MESSAGE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static gboolean
is_searching (CachetWindow *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

/* Returns: (transfer none): the toast shown, to add a button to */
static AdwToast *
show_toast (CachetWindow *self,
            const char   *message)
{
  /* A toast's title is markup; messages quote addresses such as <a@b>. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  return toast;
}

static void
message_verified_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CachetWindow) self = user_data;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = cachet_smime_verify_finish (CACHET_CERTIFICATE_STORE (source), result, &error);
  if (report == NULL)
    {
      /* The banner stays hidden: a message that cannot be checked is never
       * shown as signed. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot check the signature of the message shown: %s", error->message);
      return;
    }
  cachet_security_banner_set_report (self->security_banner, report);
}

static void
message_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CachetWindow) self = user_data;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  raw = cachet_store_load_message_finish (CACHET_STORE (source), result, &error);
  if (raw == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Selecting it again tries again. */
      g_clear_object (&self->shown_message);
      show_toast (self, error->message);
      return;
    }
  cachet_message_view_show_message (self->message_view, raw);
  gtk_stack_set_visible_child_name (self->reading_stack, "message");
  adw_leaflet_navigate (self->content_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  /* In a thread, since chains are built from files; the banner shows the
   * verdict when it comes, unless another message was opened meanwhile. */
  cachet_smime_verify_async (cachet_application_get_certificate_store (get_application (self)), raw,
                             self->open_cancellable, message_verified_cb, g_object_ref (self));
}

/* Replying and forwarding act on the one message shown; so does taking up
 * a draft, in the drafts folder. */
static void
update_reply_actions (CachetWindow *self,
                      gboolean      enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reply", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reply-all", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forward", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-draft", enabled && self->showing_drafts);
  gtk_widget_set_visible (self->edit_draft_button, enabled && self->showing_drafts);
}

/* Whether @info is the message in the reading pane, or on its way there:
 * the same message of the same folder, read anew from the index after a
 * reload. */
static gboolean
is_shown (CachetWindow      *self,
          CachetMessageInfo *info)
{
  return self->shown_message != NULL &&
         cachet_message_info_get_uid (info) == cachet_message_info_get_uid (self->shown_message) &&
         g_strcmp0 (cachet_message_info_get_folder (info),
                    cachet_message_info_get_folder (self->shown_message)) == 0;
}

/* One message selected: it opens in the reading pane. None, or several:
 * the pane says so. */
static void
message_selection_changed_cb (CachetWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  g_autoptr(CachetMessageInfo) info = NULL;

  update_reply_actions (self, gtk_bitset_get_size (selected) == 1 && self->store != NULL);
  if (gtk_bitset_get_size (selected) == 1)
    {
      info = g_list_model_get_item (G_LIST_MODEL (self->message_selection), gtk_bitset_get_nth (selected, 0));
      if (info != NULL && is_shown (self, info))
        return;
    }

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  /* The last message's verdict must never show over the next one. */
  cachet_security_banner_set_report (self->security_banner, NULL);
  if (info == NULL || self->store == NULL)
    {
      g_clear_object (&self->shown_message);
      cachet_message_view_clear (self->message_view);
      gtk_stack_set_visible_child_name (self->reading_stack, "none");
      return;
    }

  g_set_object (&self->shown_message, info);
  cachet_message_actions_mark_read (self->message_actions, info);
  self->open_cancellable = g_cancellable_new ();
  cachet_store_load_message_async (self->store, cachet_message_info_get_folder (info),
                                   cachet_message_info_get_uid (info), self->open_cancellable,
                                   message_loaded_cb, g_object_ref (self));
}

static void
update_message_list_page (CachetWindow *self)
{
  GListModel *messages = gtk_multi_selection_get_model (self->message_selection);
  const char *page;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    page = "welcome";
  else if (messages != NULL && g_list_model_get_n_items (messages) > 0)
    page = "list";
  else if (self->folder_messages != NULL && is_searching (self))
    page = "no-results";
  else
    page = "empty";
  gtk_stack_set_visible_child_name (self->message_list_stack, page);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), self->folder_messages != NULL);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CachetWindow) self = user_data;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = cachet_store_search_finish (CACHET_STORE (source), result, &error);
  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s", error->message);
      return;
    }

  g_list_store_splice (self->search_results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->search_results)),
                       found->pdata, found->len);
  gtk_multi_selection_set_model (self->message_selection, G_LIST_MODEL (self->search_results));
  update_message_list_page (self);
}

/* Full-text search in the selected folder, as the user types; an empty
 * search shows the whole folder again. */
static void
search_changed_cb (CachetWindow *self)
{
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (self->folder_messages == NULL)
    return;

  if (!is_searching (self))
    {
      gtk_multi_selection_set_model (self->message_selection, G_LIST_MODEL (self->folder_messages));
      update_message_list_page (self);
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  cachet_store_search_async (self->store, cachet_message_list_get_folder (self->folder_messages),
                             gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                             0, MAX_SEARCH_RESULTS, self->search_cancellable,
                             search_done_cb, g_object_ref (self));
}

static void
show_folder (CachetWindow  *self,
             CachetAccount *account,
             CachetFolder  *folder)
{
  g_autoptr(CachetMessageList) messages = NULL;
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_application_get_store (get_application (self), account, &error);

  if (store != NULL)
    {
      messages = cachet_message_list_new (store, cachet_folder_get_name (folder));
      if (!cachet_message_list_reload (messages, &error))
        g_clear_object (&messages);
    }
  if (error != NULL)
    g_warning ("%s", error->message);

  g_set_object (&self->store, store);
  g_set_object (&self->folder_messages, messages);
  self->showing_drafts = cachet_folder_get_special_use (folder) != NULL &&
                         g_ascii_strcasecmp (cachet_folder_get_special_use (folder), "\\Drafts") == 0;
  adw_window_title_set_title (self->message_list_title, cachet_folder_get_display_name (folder));
  adw_window_title_set_subtitle (self->message_list_title, cachet_account_get_name (account));
  gtk_multi_selection_set_model (self->message_selection, G_LIST_MODEL (messages));
  cachet_message_actions_set_folder (self->message_actions, store, cachet_folder_get_name (folder),
                                     g_hash_table_lookup (self->folder_lists, cachet_account_get_id (account)));
  /* Nothing is selected in the new list: the pane says so. */
  message_selection_changed_cb (self);
  update_message_list_page (self);
  /* A search in progress follows the user to the new folder. */
  if (is_searching (self))
    search_changed_cb (self);
  adw_leaflet_navigate (self->main_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
sidebar_selection_changed_cb (CachetWindow *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->sidebar_selection);
  g_autoptr(GtkTreeListRow) parent = NULL;
  g_autoptr(GObject) item = NULL;
  g_autoptr(GObject) account = NULL;

  if (row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  parent = gtk_tree_list_row_get_parent (row);
  if (!CACHET_IS_FOLDER (item) || parent == NULL)
    return;
  account = gtk_tree_list_row_get_item (parent);

  show_folder (self, CACHET_ACCOUNT (account), CACHET_FOLDER (item));
}


/* Opens the first inbox when nothing is open yet, so that mail shows without
 * a click. */
static void
select_first_folder (CachetWindow *self)
{
  GListModel *rows = G_LIST_MODEL (self->sidebar_selection);
  GtkTreeListRow *selected = gtk_single_selection_get_selected_item (self->sidebar_selection);

  /* The list view may have selected an account row on focus: that opens
   * nothing. */
  if (selected != NULL)
    {
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (selected);

      if (CACHET_IS_FOLDER (item))
        return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (CACHET_IS_FOLDER (item))
        {
          gtk_single_selection_set_selected (self->sidebar_selection, i);
          return;
        }
    }
}

/* Reads the folder's messages again after the index changed, keeping the
 * selection, so that new mail never closes the message being read. When
 * the selected messages left the folder (moved or deleted, here or
 * elsewhere), the one after them is selected, as the user goes through
 * their mail. */
static void
reload_messages (CachetWindow *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GtkBitset) kept = gtk_bitset_new_empty ();
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  GListModel *messages = G_LIST_MODEL (self->folder_messages);
  GtkBitsetIter iter;
  guint position;

  if (self->folder_messages == NULL)
    return;
  /* The folder's list waits behind the results, up to date. */
  if (is_searching (self))
    {
      if (!cachet_message_list_reload (self->folder_messages, &error))
        g_warning ("%s", error->message);
      search_changed_cb (self);
      return;
    }

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more && uids->len < MAX_KEPT_SELECTION;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(CachetMessageInfo) info = g_list_model_get_item (messages, position);
      guint32 uid;

      if (info == NULL)
        continue;
      uid = cachet_message_info_get_uid (info);
      g_array_append_val (uids, uid);
      g_array_append_val (positions, position);
    }

  /* Emptied first: the selection model would otherwise look for the
   * selected rows among all the reloaded ones, reading the whole folder. */
  g_signal_handlers_block_by_func (self->message_selection, message_selection_changed_cb, self);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->message_selection));
  if (!cachet_message_list_reload (self->folder_messages, &error))
    g_warning ("%s", error->message);
  for (guint i = 0; i < uids->len; i++)
    {
      if (cachet_message_list_find (self->folder_messages, g_array_index (uids, guint32, i),
                                    g_array_index (positions, guint, i), &position))
        gtk_bitset_add (kept, position);
    }
  if (gtk_bitset_is_empty (kept) && positions->len > 0 &&
      g_list_model_get_n_items (messages) > 0)
    gtk_bitset_add (kept, MIN (g_array_index (positions, guint, 0), g_list_model_get_n_items (messages) - 1));
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->message_selection), kept, kept);
  g_signal_handlers_unblock_by_func (self->message_selection, message_selection_changed_cb, self);

  message_selection_changed_cb (self);
  update_message_list_page (self);
}

static void
reload_folders (CachetWindow *self,
                const char   *account_id)
{
  CachetFolderList *folders = g_hash_table_lookup (self->folder_lists, account_id);
  g_autoptr(GError) error = NULL;

  if (folders != NULL && !cachet_folder_list_reload (folders, &error))
    g_warning ("%s", error->message);
}

/* Shows what a sync stored: counts in the sidebar, rows in the list. */
static void
reload_after_sync (CachetWindow  *self,
                   CachetAccount *account)
{
  reload_folders (self, cachet_account_get_id (account));
  if (self->store != NULL &&
      g_str_equal (cachet_store_get_account_id (self->store), cachet_account_get_id (account)))
    reload_messages (self);
  select_first_folder (self);
  update_message_list_page (self);
}

/* Only when the user is looking elsewhere: the window shows new mail itself.
 * The notification names no sender and no subject, which may concern a
 * patient and would show on a locked or shared screen. */
static void
notify_new_mail (CachetWindow  *self,
                 CachetAccount *account,
                 guint          count)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  if (gtk_window_is_active (GTK_WINDOW (self)))
    return;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new message", "%u new messages", count), count);
  notification = g_notification_new (title);
  g_notification_set_body (notification, cachet_account_get_name (account));
  id = g_strconcat ("new-mail-", cachet_account_get_id (account), NULL);
  g_application_send_notification (G_APPLICATION (get_application (self)), id, notification);
}

/* One sync per account at a time; a change that asks for another while one
 * runs (the user's own action, the server's news) gets it right after. */
typedef enum
{
  SYNC_RUNNING = 1,
  SYNC_RUNNING_THEN_AGAIN,
} SyncState;

typedef struct
{
  CachetWindow  *window;
  CachetAccount *account;
} SyncData;

static void sync_account (CachetWindow  *self,
                          CachetAccount *account,
                          gboolean       again_if_running);

/* Offline, every sync fails the same way: the user hears it once, until
 * the account syncs again or fails otherwise. */
static void
report_sync_error (CachetWindow  *self,
                   CachetAccount *account,
                   const GError  *error)
{
  const char *id = cachet_account_get_id (account);
  g_autofree char *message = NULL;

  if (g_strcmp0 (g_hash_table_lookup (self->sync_errors, id), error->message) == 0)
    return;
  g_hash_table_insert (self->sync_errors, g_strdup (id), g_strdup (error->message));
  message = g_strdup_printf (_("“%s” could not get new mail: %s"), cachet_account_get_name (account),
                             error->message);
  show_toast (self, message);
}

static void
lab_import_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SyncData *data = user_data;
  g_autoptr(CachetWindow) self = data->window;
  g_autoptr(CachetAccount) account = data->account;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *filed_text = NULL;
  g_autofree char *text = NULL;
  CachetLabMailReport report;
  AdwToast *toast;
  guint filed = 0;
  guint pending = 0;

  g_free (data);
  entries = cachet_lab_mail_import_run_finish (CACHET_LAB_MAIL_IMPORT (source), result, &report, &error);
  if (entries == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Lab results from “%s” could not be filed: %s"),
                                 cachet_account_get_name (account), error->message);
      show_toast (self, message);
      return;
    }

  /* The other workstations skip what this one filed once the server has
   * the keyword: a sync now tells it, rather than the next one. */
  if (report.tagged > 0 && cachet_account_list_has_id (self->accounts, cachet_account_get_id (account)))
    sync_account (self, account, TRUE);

  for (guint i = 0; i < entries->len; i++)
    {
      CachetLabEntryStatus status = cachet_lab_journal_entry_get_status (g_ptr_array_index (entries, i));

      if (status == CACHET_LAB_ENTRY_STATUS_FILED)
        filed++;
      else if (status == CACHET_LAB_ENTRY_STATUS_PENDING)
        pending++;
    }
  /* Duplicates were filed before: nothing new to look at. */
  if (filed == 0 && pending == 0)
    return;
  filed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lab result filed", "%u lab results filed", filed),
                                filed);
  if (pending == 0)
    text = g_steal_pointer (&filed_text);
  else
    /* Translators: %s is "N lab results filed". */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u waiting for patient confirmation",
                                         "%s, %u waiting for patient confirmation", pending),
                            filed_text, pending);
  toast = show_toast (self, text);
  adw_toast_set_button_label (toast, _("Show Results"));
  adw_toast_set_action_name (toast, "app.show-results");
}

/* Files the lab results the sync brought into the account's inbox, where
 * the user chose to in Preferences. */
static void
import_lab_results (CachetWindow  *self,
                    CachetAccount *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetLabMailImport) import = NULL;
  CachetStore *store = cachet_application_get_store (get_application (self), account, &error);
  SyncData *data;

  if (store == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  import = cachet_lab_settings_new_mail_import (self->settings, store);
  data = g_new0 (SyncData, 1);
  data->window = g_object_ref (self);
  data->account = g_object_ref (account);
  cachet_lab_mail_import_run_async (import, "INBOX", self->cancellable, lab_import_done_cb, data);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncData *data = user_data;
  g_autoptr(CachetWindow) self = data->window;
  g_autoptr(CachetAccount) account = data->account;
  g_autoptr(GError) error = NULL;
  CachetSyncReport report = { 0 };
  gboolean again;

  g_free (data);
  if (!cachet_account_sync_run_finish (CACHET_ACCOUNT_SYNC (source), result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      report_sync_error (self, account, error);
    }
  else
    g_hash_table_remove (self->sync_errors, cachet_account_get_id (account));

  again = GPOINTER_TO_INT (g_hash_table_lookup (self->syncing, cachet_account_get_id (account))) ==
          SYNC_RUNNING_THEN_AGAIN;
  g_hash_table_remove (self->syncing, cachet_account_get_id (account));

  reload_after_sync (self, account);
  if (report.new_in_inbox > 0)
    notify_new_mail (self, account, report.new_in_inbox);
  /* Only after a complete sync: the import reads the inbox in UID order
   * and does not come back below the last message it read. */
  if (error == NULL && cachet_account_get_lab_import (account))
    import_lab_results (self, account);
  if (again && cachet_account_list_has_id (self->accounts, cachet_account_get_id (account)))
    sync_account (self, account, FALSE);
  if (g_hash_table_size (self->syncing) == 0)
    gtk_stack_set_visible_child_name (self->sync_stack, "idle");
}

static void
sync_account (CachetWindow  *self,
              CachetAccount *account,
              gboolean       again_if_running)
{
  CachetApplication *app = get_application (self);
  const char *id = cachet_account_get_id (account);
  g_autoptr(CachetAccountSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  CachetStore *store = NULL;
  SyncData *data;

  if (g_hash_table_contains (self->syncing, id))
    {
      if (again_if_running)
        g_hash_table_insert (self->syncing, g_strdup (id), GINT_TO_POINTER (SYNC_RUNNING_THEN_AGAIN));
      return;
    }

  store = cachet_application_get_store (app, account, &error);
  if (store == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  data = g_new0 (SyncData, 1);
  data->window = g_object_ref (self);
  data->account = g_object_ref (account);
  sync = cachet_account_sync_new (account, cachet_application_get_credentials (app), store);
  g_hash_table_insert (self->syncing, g_strdup (id), GINT_TO_POINTER (SYNC_RUNNING));
  gtk_stack_set_visible_child_name (self->sync_stack, "busy");
  cachet_account_sync_run_async (sync, self->cancellable, sync_done_cb, data);
}

static void
inbox_changed_cb (CachetInboxWatcher *watcher,
                  CachetWindow       *self)
{
  GHashTableIter iter;
  const char *id;
  gpointer value;

  g_hash_table_iter_init (&iter, self->inbox_watchers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, &value))
    {
      CachetAccount *account = cachet_account_list_lookup (self->accounts, id);

      if (value == watcher && account != NULL)
        sync_account (self, account, TRUE);
    }
}

/* New mail shows as it arrives: the server tells the watcher, which asks
 * for a sync. Servers without IDLE get the periodic sync only. */
static void
watch_inbox (CachetWindow  *self,
             CachetAccount *account)
{
  CachetInboxWatcher *watcher =
    cachet_inbox_watcher_new (account, cachet_application_get_credentials (get_application (self)));

  g_signal_connect_object (watcher, "changed", G_CALLBACK (inbox_changed_cb), self, 0);
  cachet_inbox_watcher_start (watcher);
  g_hash_table_replace (self->inbox_watchers, g_strdup (cachet_account_get_id (account)), watcher);
}

static void
stop_watching (gpointer watcher)
{
  cachet_inbox_watcher_stop (watcher);
  g_object_unref (watcher);
}

/* Every account but those syncing already. */
static void
sync_all (CachetWindow *self)
{
  guint n_accounts = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      sync_account (self, account, FALSE);
    }
}

static gboolean
sync_timeout_cb (gpointer user_data)
{
  sync_all (CACHET_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
cachet_window_sync_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  sync_all (CACHET_WINDOW (widget));
}

/* Lets go of a removed account: its folders, and its messages if they are
 * the ones shown, so that nothing keeps its store open. */
static void
forget_removed_accounts (CachetWindow *self)
{
  GHashTableIter iter;
  const char *id;

  g_hash_table_iter_init (&iter, self->folder_lists);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      if (!cachet_account_list_has_id (self->accounts, id))
        g_hash_table_iter_remove (&iter);
    }
  g_hash_table_iter_init (&iter, self->inbox_watchers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      if (!cachet_account_list_has_id (self->accounts, id))
        g_hash_table_iter_remove (&iter);
    }

  if (self->store != NULL && !cachet_account_list_has_id (self->accounts, cachet_store_get_account_id (self->store)))
    {
      g_cancellable_cancel (self->search_cancellable);
      g_clear_object (&self->search_cancellable);
      gtk_multi_selection_set_model (self->message_selection, NULL);
      cachet_message_actions_set_folder (self->message_actions, NULL, NULL, NULL);
      g_clear_object (&self->folder_messages);
      g_clear_object (&self->store);
      adw_window_title_set_title (self->message_list_title, _("Messages"));
      adw_window_title_set_subtitle (self->message_list_title, NULL);
    }
}

static void
accounts_changed_cb (CachetWindow *self,
                     guint         position,
                     guint         removed,
                     guint         added)
{
  if (removed > 0)
    forget_removed_accounts (self);

  /* A new account gets its mail straight away. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      sync_account (self, account, FALSE);
      watch_inbox (self, account);
    }
  update_message_list_page (self);
}

/* The account of the folder shown, if any. */
static CachetAccount *
dup_shown_account (CachetWindow *self)
{
  CachetAccount *account = NULL;

  if (self->store != NULL)
    account = cachet_account_list_lookup (self->accounts, cachet_store_get_account_id (self->store));
  return account != NULL ? g_object_ref (account) : NULL;
}

/* The user's change is in the index: show it, then tell the server. */
static void
message_actions_applied_cb (CachetWindow *self)
{
  g_autoptr(CachetAccount) account = dup_shown_account (self);

  if (account == NULL)
    return;
  reload_folders (self, cachet_account_get_id (account));
  reload_messages (self);
  sync_account (self, account, TRUE);
}

static void
message_actions_inform_cb (CachetWindow *self,
                           const char   *text,
                           const char   *button_label,
                           const char   *button_action)
{
  AdwToast *toast = show_toast (self, text);

  if (button_action == NULL)
    return;
  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, button_action);
}

static void
cachet_window_move_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CachetWindow *self = CACHET_WINDOW (widget);

  if (gtk_widget_is_sensitive (GTK_WIDGET (self->move_button)))
    gtk_menu_button_popup (self->move_button);
}

/* A message refused for good waits in the outbox for the user. */
static void
send_failed_cb (CachetWindow  *self,
                CachetAccount *account,
                const char    *subject,
                const char    *reason,
                gint64         next_attempt)
{
  g_autofree char *text = cachet_outbox_window_format_failure (subject, reason, next_attempt);
  AdwToast *toast = show_toast (self, text);

  if (next_attempt == 0)
    {
      adw_toast_set_button_label (toast, _("Open Outbox"));
      adw_toast_set_action_name (toast, "app.show-outbox");
    }
}

/* A new message goes from the account the user is looking at. */
static void
cachet_window_compose_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CachetWindow *self = CACHET_WINDOW (widget);
  g_autoptr(CachetAccount) account = dup_shown_account (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) == 0)
    {
      show_toast (self, _("Add an account first: messages are sent from one of your accounts."));
      return;
    }
  gtk_window_present (GTK_WINDOW (cachet_composer_window_new (get_application (self), account)));
}

static void
reply_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CachetWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CachetComposerWindow *composer = cachet_composer_window_new_reply_finish (result, &error);

  if (composer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (composer));
}

static void
draft_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CachetWindow) self = user_data;
  g_autoptr(CachetAccount) account = dup_shown_account (self);
  g_autoptr(GBytes) draft = NULL;
  g_autoptr(GError) error = NULL;
  CachetComposerWindow *composer;

  draft = cachet_store_load_message_finish (CACHET_STORE (source), result, &error);
  if (draft == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  if (account == NULL)
    return;
  composer = cachet_composer_window_new (get_application (self), account);
  cachet_composer_window_open_draft (composer, draft);
  gtk_window_present (GTK_WINDOW (composer));
}

/* A draft, saved here or by another client, opens in the composer. */
static void
cachet_window_edit_draft_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CachetWindow *self = CACHET_WINDOW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  g_autoptr(CachetMessageInfo) info = NULL;

  if (gtk_bitset_get_size (selected) != 1 || self->store == NULL)
    return;
  info = g_list_model_get_item (G_LIST_MODEL (self->message_selection), gtk_bitset_get_nth (selected, 0));
  cachet_store_load_message_async (self->store, cachet_message_info_get_folder (info),
                                   cachet_message_info_get_uid (info), self->cancellable,
                                   draft_loaded_cb, g_object_ref (self));
}

/* Enter or a double click: a draft is taken up; other messages are open
 * already. */
static void
message_activated_cb (CachetWindow *self,
                      guint         position)
{
  if (self->showing_drafts)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-draft", NULL);
}

static void
cachet_window_reply_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CachetWindow *self = CACHET_WINDOW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  g_autoptr(CachetAccount) account = dup_shown_account (self);
  g_autoptr(CachetMessageInfo) info = NULL;
  CachetReplyKind kind = CACHET_REPLY_TO_SENDER;

  if (gtk_bitset_get_size (selected) != 1 || account == NULL)
    return;
  info = g_list_model_get_item (G_LIST_MODEL (self->message_selection), gtk_bitset_get_nth (selected, 0));
  if (g_str_equal (action_name, "win.reply-all"))
    kind = CACHET_REPLY_TO_ALL;
  else if (g_str_equal (action_name, "win.forward"))
    kind = CACHET_REPLY_FORWARD;

  cachet_composer_window_new_reply_async (get_application (self), account, self->store, info, kind,
                                          self->cancellable, reply_ready_cb, g_object_ref (self));
}

CachetWindow *
cachet_window_new (CachetApplication *application)
{
  CachetWindow *self;

  g_return_val_if_fail (CACHET_IS_APPLICATION (application), NULL);

  self = g_object_new (CACHET_TYPE_WINDOW,
                       "application", application,
                       NULL);

  self->application = g_object_ref (application);
  self->accounts = g_object_ref (cachet_application_get_accounts (application));
  self->sidebar_model = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->accounts)),
                                                 FALSE, TRUE, create_folder_model, self, NULL);
  self->sidebar_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sidebar_model)));
  gtk_single_selection_set_autoselect (self->sidebar_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->sidebar_selection, TRUE);
  g_signal_connect_object (self->sidebar_selection, "selection-changed",
                           G_CALLBACK (sidebar_selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->folder_list, GTK_SELECTION_MODEL (self->sidebar_selection));

  g_signal_connect_object (self->accounts, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cachet_application_get_sender (application), "send-failed",
                           G_CALLBACK (send_failed_cb), self, G_CONNECT_SWAPPED);
  /* The mail already stored shows at once; the sync brings the rest. */
  select_first_folder (self);
  update_message_list_page (self);

  sync_all (self);
  self->sync_timeout_id = g_timeout_add_seconds (SYNC_INTERVAL_SECONDS, sync_timeout_cb, self);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->accounts)); i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      watch_inbox (self, account);
    }

  return self;
}

static void
cachet_window_restore_geometry (CachetWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
cachet_window_close_request (GtkWindow *window)
{
  GSettings *settings = CACHET_WINDOW (window)->settings;
  int width, height;

  /* The default size is the unmaximized size, which is what should come back
   * when the user unmaximizes the window next time. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (settings);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (settings);

  return GTK_WINDOW_CLASS (cachet_window_parent_class)->close_request (window);
}

static void
navigate_back (AdwLeaflet *leaflet)
{
  adw_leaflet_navigate (leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
cachet_window_show_sidebar_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  navigate_back (CACHET_WINDOW (widget)->main_leaflet);
}

static void
cachet_window_show_message_list_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  navigate_back (CACHET_WINDOW (widget)->content_leaflet);
}

static void
cachet_window_search_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CachetWindow *self = CACHET_WINDOW (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->search_button)))
    {
      gtk_toggle_button_set_active (self->search_button, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
}

static void
cachet_window_dispose (GObject *object)
{
  CachetWindow *self = CACHET_WINDOW (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  g_clear_handle_id (&self->sync_timeout_id, g_source_remove);
  g_clear_pointer (&self->folder_lists, g_hash_table_unref);
  g_clear_pointer (&self->syncing, g_hash_table_unref);
  g_clear_pointer (&self->sync_errors, g_hash_table_unref);
  g_clear_pointer (&self->inbox_watchers, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->folder_messages);
  g_clear_object (&self->search_results);
  g_clear_object (&self->message_actions);
  g_clear_object (&self->shown_message);
  g_clear_object (&self->message_selection);
  g_clear_object (&self->sidebar_selection);
  g_clear_object (&self->sidebar_model);
  g_clear_object (&self->accounts);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (cachet_window_parent_class)->dispose (object);
}

static void
cachet_window_class_init (CachetWindowClass *klass)
{
  g_type_ensure (CACHET_TYPE_MESSAGE_VIEW);
  g_type_ensure (CACHET_TYPE_SECURITY_BANNER);

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cachet_window_dispose;
  window_class->close_request = cachet_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, main_leaflet);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, folder_list);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, message_list);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, message_list_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, message_list_title);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, security_banner);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, reading_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, move_button);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, edit_draft_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_row_unbind_cb);

  /* Back navigation for a narrow window, where one pane shows at a time. */
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   cachet_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-message-list", NULL,
                                   cachet_window_show_message_list_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, cachet_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, cachet_window_sync_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.compose", NULL, cachet_window_compose_action);
  gtk_widget_class_install_action (widget_class, "win.reply", NULL, cachet_window_reply_action);
  gtk_widget_class_install_action (widget_class, "win.reply-all", NULL, cachet_window_reply_action);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, cachet_window_reply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.compose", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.reply-all", NULL);
  /* Ctrl+F is search: forwarding takes Ctrl+L, as in Geary and Evolution. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.forward", NULL);
  gtk_widget_class_install_action (widget_class, "win.move", NULL, cachet_window_move_action);
  gtk_widget_class_install_action (widget_class, "win.edit-draft", NULL, cachet_window_edit_draft_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.move", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "message.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "message.read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "message.flagged", NULL);
}

static void
cachet_window_init (CachetWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  cachet_window_restore_geometry (self);

  self->cancellable = g_cancellable_new ();
  self->folder_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->search_results = g_list_store_new (CACHET_TYPE_MESSAGE_INFO);
  self->message_selection = gtk_multi_selection_new (NULL);
  g_signal_connect_object (self->message_selection, "selection-changed",
                           G_CALLBACK (message_selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->message_list, GTK_SELECTION_MODEL (self->message_selection));
  g_signal_connect_object (self->message_list, "activate", G_CALLBACK (message_activated_cb), self,
                           G_CONNECT_SWAPPED);
  update_reply_actions (self, FALSE);
  self->syncing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sync_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->inbox_watchers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stop_watching);

  self->message_actions = cachet_message_actions_new (GTK_SELECTION_MODEL (self->message_selection));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "message",
                                  cachet_message_actions_get_action_group (self->message_actions));
  gtk_menu_button_set_menu_model (self->move_button,
                                  cachet_message_actions_get_move_menu (self->message_actions));
  /* A menu button is no GtkActionable here (GTK 4.8): it follows the action. */
  g_object_bind_property (g_action_map_lookup_action (G_ACTION_MAP (cachet_message_actions_get_action_group (self->message_actions)), "move-to"),
                          "enabled", self->move_button, "sensitive", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->message_actions, "applied",
                           G_CALLBACK (message_actions_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_actions, "failed",
                           G_CALLBACK (show_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_actions, "inform",
                           G_CALLBACK (message_actions_inform_cb), self, G_CONNECT_SWAPPED);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
