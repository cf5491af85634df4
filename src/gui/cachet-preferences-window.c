/* cachet-preferences-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-preferences-window.h"

struct _CachetPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (CachetPreferencesWindow, cachet_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

CachetPreferencesWindow *
cachet_preferences_window_new (void)
{
  return g_object_new (CACHET_TYPE_PREFERENCES_WINDOW, NULL);
}

static void
cachet_preferences_window_class_init (CachetPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/cachet-preferences-window.ui");
}

static void
cachet_preferences_window_init (CachetPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
