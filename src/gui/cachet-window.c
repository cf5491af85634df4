/* cachet-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-account-sync.h"
#include "cachet-folder-list.h"
#include "cachet-message-list.h"
#include "cachet-message-row.h"
#include "cachet-message-view.h"
#include "cachet-window.h"

struct _CachetWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
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
  /* Account id → the CachetFolderList shown under it, to reload after sync. */
  GHashTable           *folder_lists;
  /* Cancelled when the window closes: nothing it started outlives it. */
  GCancellable         *cancellable;
  /* The message being opened in the reading pane, replaced by the next. */
  GCancellable         *open_cancellable;
  guint                 syncs_running;
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
  GtkStack             *reading_stack;
  CachetMessageView    *message_view;
};

G_DEFINE_FINAL_TYPE (CachetWindow, cachet_window, ADW_TYPE_APPLICATION_WINDOW)

/* New mail is fetched this often while the window is open. */
#define SYNC_INTERVAL_SECONDS (5 * 60)

/* A search lists its best matches, newest first; more would not be read. */
#define MAX_SEARCH_RESULTS 500

static CachetApplication *
get_application (CachetWindow *self)
{
  return CACHET_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
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
folder_display_name (CachetFolder *folder)
{
  if (g_ascii_strcasecmp (cachet_folder_get_name (folder), "INBOX") == 0)
    return _("Inbox");
  return cachet_folder_get_name (folder);
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
      guint unread = cachet_folder_get_unread_count (folder);
      g_autofree char *unread_text = g_strdup_printf ("%u", unread);

      gtk_list_item_set_selectable (list_item, TRUE);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), folder_icon_name (folder));
      gtk_label_set_text (GTK_LABEL (label), folder_display_name (folder));
      gtk_widget_set_tooltip_text (label, NULL);
      gtk_label_set_text (GTK_LABEL (count), unread_text);
      gtk_widget_set_visible (count, unread > 0);
    }
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

static void
show_toast (CachetWindow *self,
            const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
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
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }
  cachet_message_view_show_message (self->message_view, raw);
  gtk_stack_set_visible_child_name (self->reading_stack, "message");
  adw_leaflet_navigate (self->content_leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* One message selected: it opens in the reading pane. None, or several:
 * the pane says so. */
static void
message_selection_changed_cb (CachetWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->message_selection));
  g_autoptr(CachetMessageInfo) info = NULL;

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);

  if (gtk_bitset_get_size (selected) != 1 || self->store == NULL)
    {
      cachet_message_view_clear (self->message_view);
      gtk_stack_set_visible_child_name (self->reading_stack, "none");
      return;
    }

  info = g_list_model_get_item (G_LIST_MODEL (self->message_selection), gtk_bitset_get_nth (selected, 0));
  if (info == NULL)
    return;
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
  adw_window_title_set_title (self->message_list_title, folder_display_name (folder));
  adw_window_title_set_subtitle (self->message_list_title, cachet_account_get_name (account));
  gtk_multi_selection_set_model (self->message_selection, G_LIST_MODEL (messages));
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

/* Shows what a sync stored: counts in the sidebar, rows in the list. */
static void
reload_after_sync (CachetWindow  *self,
                   CachetAccount *account)
{
  CachetFolderList *folders = g_hash_table_lookup (self->folder_lists, cachet_account_get_id (account));
  g_autoptr(GError) error = NULL;

  if (folders != NULL && !cachet_folder_list_reload (folders, &error))
    g_warning ("%s", error->message);
  g_clear_error (&error);
  if (self->folder_messages != NULL && !is_searching (self) &&
      !cachet_message_list_reload (self->folder_messages, &error))
    g_warning ("%s", error->message);
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

typedef struct
{
  CachetWindow  *window;
  CachetAccount *account;
} SyncData;

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

  g_free (data);
  if (!cachet_account_sync_run_finish (CACHET_ACCOUNT_SYNC (source), result, &report, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      {
        g_autofree char *message = g_strdup_printf (_("“%s” could not get new mail: %s"),
                                                    cachet_account_get_name (account), error->message);

        show_toast (self, message);
      }
    }

  reload_after_sync (self, account);
  if (report.new_in_inbox > 0)
    notify_new_mail (self, account, report.new_in_inbox);
  if (--self->syncs_running == 0)
    gtk_stack_set_visible_child_name (self->sync_stack, "idle");
}

static void
sync_account (CachetWindow  *self,
              CachetAccount *account)
{
  CachetApplication *app = get_application (self);
  g_autoptr(CachetAccountSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_application_get_store (app, account, &error);
  SyncData *data;

  if (store == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  data = g_new0 (SyncData, 1);
  data->window = g_object_ref (self);
  data->account = g_object_ref (account);
  sync = cachet_account_sync_new (account, cachet_application_get_credentials (app), store);
  self->syncs_running++;
  gtk_stack_set_visible_child_name (self->sync_stack, "busy");
  cachet_account_sync_run_async (sync, self->cancellable, sync_done_cb, data);
}

/* Every account, unless a previous round is still running. */
static void
sync_all (CachetWindow *self)
{
  guint n_accounts = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  if (self->syncs_running > 0)
    return;
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      sync_account (self, account);
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

  if (self->store != NULL && !cachet_account_list_has_id (self->accounts, cachet_store_get_account_id (self->store)))
    {
      g_cancellable_cancel (self->search_cancellable);
      g_clear_object (&self->search_cancellable);
      gtk_multi_selection_set_model (self->message_selection, NULL);
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

      sync_account (self, account);
    }
  update_message_list_page (self);
}

CachetWindow *
cachet_window_new (CachetApplication *application)
{
  CachetWindow *self;

  g_return_val_if_fail (CACHET_IS_APPLICATION (application), NULL);

  self = g_object_new (CACHET_TYPE_WINDOW,
                       "application", application,
                       NULL);

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
  update_message_list_page (self);

  sync_all (self);
  self->sync_timeout_id = g_timeout_add_seconds (SYNC_INTERVAL_SECONDS, sync_timeout_cb, self);

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
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->folder_messages);
  g_clear_object (&self->search_results);
  g_clear_object (&self->message_selection);
  g_clear_object (&self->sidebar_selection);
  g_clear_object (&self->sidebar_model);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (cachet_window_parent_class)->dispose (object);
}

static void
cachet_window_class_init (CachetWindowClass *klass)
{
  g_type_ensure (CACHET_TYPE_MESSAGE_VIEW);

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
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, reading_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, message_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_bind_cb);
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

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
