/* cachet-test-widgets.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-application.h"
#include "cachet-window.h"

G_BEGIN_DECLS

/* Widget tests: finding widgets as the user sees them, and waiting for the
 * main context to show what the test expects. */

/* Says whether @widget is the one looked for, as @data describes it. */
typedef gboolean (*CachetTestWidgetMatch) (GtkWidget     *widget,
                                           gconstpointer  data);

void          cachet_test_init_gui               (int                     *argc,
                                                  char                  ***argv);

GtkWidget    *cachet_test_find_widget            (GtkWidget               *root,
                                                  CachetTestWidgetMatch    match,
                                                  gconstpointer            data);
gpointer      cachet_test_find_widget_of_type    (GtkWidget               *root,
                                                  GType                    type);
gboolean      cachet_test_is_label_with_text     (GtkWidget               *widget,
                                                  gconstpointer            text);
GtkWidget    *cachet_test_find_label             (GtkWidget               *root,
                                                  const char              *text);
gboolean      cachet_test_is_button_with_label   (GtkWidget               *widget,
                                                  gconstpointer            label);
gboolean      cachet_test_is_button_with_tooltip (GtkWidget               *widget,
                                                  gconstpointer            tooltip);

gpointer      cachet_test_find_toplevel          (GType                    type);
gpointer      cachet_test_wait_for_toplevel      (GType                    type);
void          cachet_test_wait_for_page          (GtkStack                *stack,
                                                  const char              *page);

CachetWindow *cachet_test_show_window            (CachetApplication       *app);
gpointer      cachet_test_window_child           (CachetWindow            *window,
                                                  const char              *name);
void          cachet_test_wait_for_sync          (CachetWindow            *window);
guint         cachet_test_message_position       (GtkSelectionModel       *messages,
                                                  guint32                  uid);

G_END_DECLS
