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

  /* Template widgets */
  AdwLeaflet           *main_leaflet;
  AdwLeaflet           *content_leaflet;
};

G_DEFINE_FINAL_TYPE (CachetWindow, cachet_window, ADW_TYPE_APPLICATION_WINDOW)

CachetWindow *
cachet_window_new (CachetApplication *application)
{
  g_return_val_if_fail (CACHET_IS_APPLICATION (application), NULL);

  return g_object_new (CACHET_TYPE_WINDOW,
                       "application", application,
                       NULL);
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
