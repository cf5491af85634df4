/* cachet-test-widgets.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-mime.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"

/**
 * cachet_test_init_gui:
 * @argc: the program's argument count
 * @argv: its arguments
 *
 * cachet_test_init(), then GTK, libadwaita and the MIME parser, as the
 * application has them. A test that reads accessible properties back sets
 * GTK_A11Y to "test" before.
 */
void
cachet_test_init_gui (int    *argc,
                      char ***argv)
{
  cachet_test_init (argc, argv);
  gtk_init ();
  adw_init ();
  cachet_mime_init ();
}

/**
 * cachet_test_find_widget:
 * @root: where to look
 * @match: what to look for
 * @data: passed to @match
 *
 * Returns: (transfer none) (nullable): the first widget under @root, @root
 *   included, depth first, that @match accepts
 */
GtkWidget *
cachet_test_find_widget (GtkWidget             *root,
                         CachetTestWidgetMatch  match,
                         gconstpointer          data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cachet_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/**
 * cachet_test_find_widget_of_type:
 * @root: where to look
 * @type: a widget type
 *
 * Returns: (transfer none) (nullable): the first widget of @type under
 *   @root, @root included
 */
gpointer
cachet_test_find_widget_of_type (GtkWidget *root,
                                 GType      type)
{
  return cachet_test_find_widget (root, is_of_type, GSIZE_TO_POINTER (type));
}

/* A label showing @text; any label for %NULL. */
gboolean
cachet_test_is_label_with_text (GtkWidget     *widget,
                                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && (text == NULL || g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0);
}

/**
 * cachet_test_find_label:
 * @root: where to look
 * @text: what the label shows
 *
 * Returns: (transfer none) (nullable): the first label under @root, @root
 *   included, that shows @text
 */
GtkWidget *
cachet_test_find_label (GtkWidget  *root,
                        const char *text)
{
  return cachet_test_find_widget (root, cachet_test_is_label_with_text, text);
}

gboolean
cachet_test_is_button_with_label (GtkWidget     *widget,
                                  gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Icon buttons are told apart by their tooltip, which is also their
 * accessible label. */
gboolean
cachet_test_is_button_with_tooltip (GtkWidget     *widget,
                                    gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

/**
 * cachet_test_find_toplevel:
 * @type: a #GtkWindow type
 *
 * Looks among all the toplevels, not only the application's windows:
 * dialogs and Preferences are not among those.
 *
 * Returns: (transfer none) (nullable): a window of @type
 */
gpointer
cachet_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }
  return NULL;
}

static gboolean
has_toplevel (gpointer type)
{
  return cachet_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

/**
 * cachet_test_wait_for_toplevel:
 * @type: a #GtkWindow type
 *
 * Waits for a window of @type, which the application may open once a
 * worker is done; fails the test if none comes.
 *
 * Returns: (transfer none): the window
 */
gpointer
cachet_test_wait_for_toplevel (GType type)
{
  cachet_test_iterate_until (has_toplevel, GSIZE_TO_POINTER (type), g_type_name (type));
  return cachet_test_find_toplevel (type);
}

typedef struct
{
  GtkStack   *stack;
  const char *page;
} PageWait;

static gboolean
shows_page (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (wait->stack), wait->page) == 0;
}

/**
 * cachet_test_wait_for_page:
 * @stack: a stack whose pages say what a view is doing
 * @page: the name of the page awaited
 *
 * Waits until @stack shows @page; fails the test if it never does.
 */
void
cachet_test_wait_for_page (GtkStack   *stack,
                           const char *page)
{
  PageWait wait = { stack, page };
  g_autofree char *what = g_strdup_printf ("the page “%s”", page);

  cachet_test_iterate_until (shows_page, &wait, what);
}

/**
 * cachet_test_show_window:
 * @app: an application not yet registered
 *
 * Registers and activates @app, as the desktop starts it.
 *
 * Returns: (transfer none): the main window it shows
 */
CachetWindow *
cachet_test_show_window (CachetApplication *app)
{
  g_autoptr(GError) error = NULL;
  CachetWindow *window;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = CACHET_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  return window;
}

/**
 * cachet_test_window_child:
 * @window: the main window
 * @name: the id of a widget in the window's template
 *
 * Returns: (transfer none): the widget
 */
gpointer
cachet_test_window_child (CachetWindow *window,
                          const char   *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window), CACHET_TYPE_WINDOW, name);
}

/**
 * cachet_test_wait_for_sync:
 * @window: the main window
 *
 * Waits until the sync the window started is over, which the stack in its
 * header shows.
 */
void
cachet_test_wait_for_sync (CachetWindow *window)
{
  cachet_test_wait_for_page (cachet_test_window_child (window, "sync_stack"), "idle");
}

/**
 * cachet_test_message_position:
 * @messages: the window's message list
 * @uid: the UID of a message of the folder shown
 *
 * Returns: the position of that message in @messages; fails the test if it
 *   is not listed
 */
guint
cachet_test_message_position (GtkSelectionModel *messages,
                              guint32            uid)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (messages)); i++)
    {
      g_autoptr(CachetMessageInfo) info = g_list_model_get_item (G_LIST_MODEL (messages), i);

      if (cachet_message_info_get_uid (info) == uid)
        return i;
    }
  g_error ("No message of UID %u in the list", uid);
}
