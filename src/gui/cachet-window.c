/* cachet-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-window.h"

struct _CachetWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  CachetAccountList    *accounts;

  /* Template widgets */
  AdwLeaflet           *main_leaflet;
  AdwLeaflet           *content_leaflet;
  GtkListBox           *folder_list;
  GtkStack             *message_list_stack;
};

G_DEFINE_FINAL_TYPE (CachetWindow, cachet_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  CachetAccount *account = item;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cachet_account_get_name (account));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cachet_account_get_address (account));
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "mail-unread-symbolic");

  return row;
}

static void
accounts_changed_cb (CachetWindow *self)
{
  gboolean has_accounts = g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0;

  gtk_stack_set_visible_child_name (self->message_list_stack, has_accounts ? "messages" : "welcome");
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
  gtk_list_box_bind_model (self->folder_list, G_LIST_MODEL (self->accounts),
                           create_account_row, NULL, NULL);
  g_signal_connect_object (self->accounts, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  accounts_changed_cb (self);

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
cachet_window_dispose (GObject *object)
{
  CachetWindow *self = CACHET_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (cachet_window_parent_class)->dispose (object);
}

static void
cachet_window_class_init (CachetWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cachet_window_dispose;
  window_class->close_request = cachet_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, main_leaflet);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, folder_list);
  gtk_widget_class_bind_template_child (widget_class, CachetWindow, message_list_stack);

  /* Back navigation for a narrow window, where one pane shows at a time. */
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   cachet_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-message-list", NULL,
                                   cachet_window_show_message_list_action);
}

static void
cachet_window_init (CachetWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  cachet_window_restore_geometry (self);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
