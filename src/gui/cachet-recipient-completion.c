/* cachet-recipient-completion.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-address.h"
#include "cachet-application.h"
#include "cachet-directory.h"
#include "cachet-recipient-completion.h"
#include "cachet-store.h"

/* Suggests addresses under a recipient field, for the word being typed:
 * first the people the user exchanged mail with, from the stores of every
 * account the composer can send from, most likely first; then MSSanté
 * addresses from the offline directory; each address once. The field holds
 * a comma-separated list, so only the part between the separators around
 * the cursor is looked up, and a pick replaces that part alone. The
 * keyboard stays in the field: Up and Down move in the list, Enter picks,
 * Escape closes it.
 *
 * The look-ups run in worker threads; a keystroke cancels those of the
 * previous one, and the list changes once all of the new ones are back. */

/* Shorter words match too much of the directory to be useful; past
 * correspondents are few enough for one letter. */
#define MIN_DIRECTORY_WORD_CHARS 3
#define MAX_SUGGESTIONS 8

struct _CachetRecipientCompletion
{
  GObject             parent_instance;

  GtkEntry           *entry;    /* unowned: detach before it goes */
  GtkEventController *keys;     /* owned by entry */
  CachetDirectory    *directory;
  /* "Name <address>" strings, one per mailbox. */
  GtkStringList      *suggestions;
  GtkSingleSelection *selection;
  GtkWidget          *popover;
  GtkListView        *list_view;
  GCancellable       *search_cancellable;
  guint               lookup_id;
  /* Byte offsets of the word the suggestions are for. */
  gsize               word_start;
  gsize               word_end;
  /* Set while a pick edits the field, which must not start a search. */
  gboolean            replacing;
};

G_DEFINE_FINAL_TYPE (CachetRecipientCompletion, cachet_recipient_completion, G_TYPE_OBJECT)

static gboolean
is_separator (char c)
{
  return c == ',' || c == ';';
}

static void
hide_suggestions (CachetRecipientCompletion *self)
{
  g_clear_handle_id (&self->lookup_id, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  gtk_widget_set_visible (self->popover, FALSE);
}

/* The look-ups of one word, gathered until the last is back. */
typedef struct
{
  CachetRecipientCompletion *self;
  GCancellable              *cancellable;
  guint                      pending;
  /* CachetCorrespondent, from every store. */
  GPtrArray                 *correspondents;
  GListModel                *directory_entries;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->cancellable);
  g_clear_pointer (&lookup->correspondents, g_ptr_array_unref);
  g_clear_object (&lookup->directory_entries);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static int
compare_scores (gconstpointer a,
                gconstpointer b)
{
  double score_a = cachet_correspondent_get_score (*(CachetCorrespondent * const *) a);
  double score_b = cachet_correspondent_get_score (*(CachetCorrespondent * const *) b);

  return score_a < score_b ? 1 : score_a > score_b ? -1 : 0;
}

/* Adds "Name <address>" unless the address is there already. */
static void
add_suggestion (GPtrArray  *strings,
                GHashTable *addresses,
                const char *name,
                const char *address)
{
  char *key = g_ascii_strdown (address, -1);

  if (!g_hash_table_add (addresses, key))
    return;
  g_ptr_array_add (strings, cachet_address_format (name, address));
}

static void
show_suggestions (CachetRecipientCompletion *self,
                  Lookup                    *lookup)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_entries = lookup->directory_entries != NULL ? g_list_model_get_n_items (lookup->directory_entries) : 0;

  /* Each store ranked its own; the scores of one moment compare. */
  g_ptr_array_sort (lookup->correspondents, compare_scores);
  for (guint i = 0; i < lookup->correspondents->len && strings->len < MAX_SUGGESTIONS; i++)
    {
      CachetCorrespondent *correspondent = g_ptr_array_index (lookup->correspondents, i);

      add_suggestion (strings, addresses, cachet_correspondent_get_name (correspondent),
                      cachet_correspondent_get_address (correspondent));
    }

  for (guint i = 0; i < n_entries && strings->len < MAX_SUGGESTIONS; i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (lookup->directory_entries, i);
      GListModel *mailboxes = cachet_directory_entry_get_mailboxes (entry);
      g_autofree char *name = cachet_directory_entry_dup_name (entry);

      for (guint j = 0; j < g_list_model_get_n_items (mailboxes) && strings->len < MAX_SUGGESTIONS; j++)
        {
          g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (mailboxes, j);

          add_suggestion (strings, addresses, name, cachet_directory_mailbox_get_address (mailbox));
        }
    }
  g_ptr_array_add (strings, NULL);

  gtk_string_list_splice (self->suggestions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->suggestions)),
                          (const char * const *) strings->pdata);
  if (strings->len == 1)
    {
      gtk_widget_set_visible (self->popover, FALSE);
      return;
    }
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

/* Takes one look-up back; shows the suggestions after the last. */
static void
lookup_done (Lookup *lookup)
{
  g_autoptr(Lookup) finished = NULL;

  if (--lookup->pending > 0)
    return;
  finished = lookup;
  if (g_cancellable_is_cancelled (finished->cancellable) || finished->self->entry == NULL)
    return;
  show_suggestions (finished->self, finished);
}

static void
correspondents_found_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GPtrArray) correspondents = NULL;
  g_autoptr(GError) error = NULL;

  correspondents = cachet_store_search_correspondents_finish (CACHET_STORE (source), result, &error);
  if (correspondents != NULL)
    g_ptr_array_extend_and_steal (lookup->correspondents, g_steal_pointer (&correspondents));
  /* A store that cannot answer leaves the others' suggestions; the mail
   * window says what is wrong with it. */
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No suggestions from an account: %s", error->message);
  lookup_done (lookup);
}

static void
directory_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;

  lookup->directory_entries = cachet_directory_search_finish (CACHET_DIRECTORY (source), result, &error);
  /* No directory yet, or a failing one: typing addresses still works, and
   * the directory window says what is wrong. */
  if (lookup->directory_entries == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No directory suggestions: %s", error->message);
  lookup_done (lookup);
}

/* Asks the store of every account the field's window can send from. */
static void
search_correspondents (CachetRecipientCompletion *self,
                       Lookup                    *lookup,
                       const char                *word)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->entry));
  GtkApplication *application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  GListModel *accounts;
  g_autoptr(GStrvBuilder) own_addresses = g_strv_builder_new ();
  g_auto(GStrv) exclude = NULL;
  g_autoptr(GPtrArray) stores = g_ptr_array_new ();
  guint n_accounts;

  if (!CACHET_IS_APPLICATION (application))
    return;
  accounts = G_LIST_MODEL (cachet_application_get_accounts (CACHET_APPLICATION (application)));
  n_accounts = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (accounts, i);
      g_autoptr(GError) error = NULL;
      CachetStore *store = cachet_application_get_store (CACHET_APPLICATION (application), account, &error);

      /* The user is not their own correspondent, from any account. */
      g_strv_builder_add (own_addresses, cachet_account_get_address (account));
      if (store != NULL)
        g_ptr_array_add (stores, store);
      else
        g_debug ("No suggestions from an account: %s", error->message);
    }
  exclude = g_strv_builder_end (own_addresses);

  for (guint i = 0; i < stores->len; i++)
    {
      lookup->pending++;
      cachet_store_search_correspondents_async (g_ptr_array_index (stores, i), word, (const char * const *) exclude,
                                                MAX_SUGGESTIONS, lookup->cancellable, correspondents_found_cb,
                                                lookup);
    }
}

/* Finds the word around the cursor and looks it up. */
static gboolean
lookup_cb (gpointer user_data)
{
  CachetRecipientCompletion *self = user_data;
  GtkEditable *editable = GTK_EDITABLE (self->entry);
  const char *text = gtk_editable_get_text (editable);
  const char *cursor = g_utf8_offset_to_pointer (text, gtk_editable_get_position (editable));
  const char *start = cursor;
  const char *end = cursor;
  g_autofree char *word = NULL;
  Lookup *lookup;

  self->lookup_id = 0;
  while (start > text && !is_separator (start[-1]))
    start--;
  while (*end != '\0' && !is_separator (*end))
    end++;
  word = g_strstrip (g_strndup (start, (gsize) (end - start)));

  if (*word == '\0')
    {
      hide_suggestions (self);
      return G_SOURCE_REMOVE;
    }

  self->word_start = (gsize) (start - text);
  self->word_end = (gsize) (end - text);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->cancellable = g_object_ref (self->search_cancellable);
  lookup->correspondents = g_ptr_array_new_with_free_func (g_object_unref);
  /* Held until every look-up is started, so that none finishes it early. */
  lookup->pending = 1;
  search_correspondents (self, lookup, word);
  /* The directory has no address half typed: it is searched by name. */
  if (g_utf8_strlen (word, -1) >= MIN_DIRECTORY_WORD_CHARS && strchr (word, '@') == NULL)
    {
      g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (word, MAX_SUGGESTIONS);

      lookup->pending++;
      cachet_directory_search_async (self->directory, query, lookup->cancellable, directory_found_cb, lookup);
    }
  lookup_done (lookup);
  return G_SOURCE_REMOVE;
}

/* Only what the user types is looked up: text put in by the program (a
 * reply, a draft, a pick) is left alone. The look-up waits for the field
 * to have moved its cursor past the change, which it does after telling. */
static void
entry_changed_cb (CachetRecipientCompletion *self)
{
  if (self->replacing || !gtk_widget_is_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)))))
    return;
  g_clear_handle_id (&self->lookup_id, g_source_remove);
  self->lookup_id = g_idle_add (lookup_cb, self);
}

/* Replaces the word the suggestions are for with the one at @position. */
static void
select_suggestion (CachetRecipientCompletion *self,
                   guint                      position)
{
  GtkEditable *editable;
  const char *text;
  const char *suggestion;
  g_autofree char *replacement = NULL;
  gsize length;
  int start;
  int end;

  editable = GTK_EDITABLE (self->entry);
  text = gtk_editable_get_text (editable);
  length = strlen (text);
  suggestion = gtk_string_list_get_string (self->suggestions, position);
  /* Every change looks the word up again, so the offsets are those of the
   * text shown; the bounds are only a guard. */
  start = (int) g_utf8_pointer_to_offset (text, text + MIN (self->word_start, length));
  end = (int) g_utf8_pointer_to_offset (text, text + MIN (self->word_end, length));
  /* After a separator, a space, as one types it. */
  replacement = g_strconcat (self->word_start > 0 ? " " : "", suggestion, NULL);

  hide_suggestions (self);
  self->replacing = TRUE;
  gtk_editable_delete_text (editable, start, end);
  gtk_editable_insert_text (editable, replacement, -1, &start);
  self->replacing = FALSE;
  gtk_editable_set_position (editable, start);
}

static void
move_selection (CachetRecipientCompletion *self,
                guint                      position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static gboolean
key_pressed_cb (CachetRecipientCompletion *self,
                guint                      keyval,
                guint                      keycode,
                GdkModifierType            state)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->suggestions));
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (!gtk_widget_get_visible (self->popover) || n_items == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_selection (self, selected == GTK_INVALID_LIST_POSITION ? 0 : (selected + 1) % n_items);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_selection (self, selected == 0 || selected == GTK_INVALID_LIST_POSITION ? n_items - 1 : selected - 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (selected == GTK_INVALID_LIST_POSITION)
        return FALSE;
      select_suggestion (self, selected);
      return TRUE;
    case GDK_KEY_Escape:
      /* Closes the list, not the window. */
      hide_suggestions (self);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  GtkStringObject *suggestion = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (suggestion));
}

/**
 * cachet_recipient_completion_detach:
 *
 * Takes the list off the field; call it before the field goes.
 */
void
cachet_recipient_completion_detach (CachetRecipientCompletion *self)
{
  g_return_if_fail (CACHET_IS_RECIPIENT_COMPLETION (self));

  if (self->entry == NULL)
    return;
  hide_suggestions (self);
  g_signal_handlers_disconnect_by_data (self->entry, self);
  g_signal_handlers_disconnect_by_data (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)), self);
  gtk_widget_remove_controller (GTK_WIDGET (self->entry), g_steal_pointer (&self->keys));
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  self->entry = NULL;
}

/**
 * cachet_recipient_completion_new:
 * @entry: a recipient field
 *
 * Returns: (transfer full): suggestions for @entry, shown under it
 */
CachetRecipientCompletion *
cachet_recipient_completion_new (GtkEntry *entry)
{
  CachetRecipientCompletion *self;
  GtkListItemFactory *factory;
  GtkWidget *scrolled;

  g_return_val_if_fail (GTK_IS_ENTRY (entry), NULL);

  self = g_object_new (CACHET_TYPE_RECIPIENT_COMPLETION, NULL);
  self->entry = entry;

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)),
                                                      factory));
  gtk_list_view_set_single_click_activate (self->list_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Suggested Recipients"), -1);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (select_suggestion), self);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_view));

  /* Without autohide the popover takes no grab: typing goes on in the
   * field while the list is open. */
  self->popover = gtk_popover_new ();
  gtk_widget_set_can_focus (self->popover, FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->list_view), FALSE);
  gtk_popover_set_autohide (GTK_POPOVER (self->popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_size_request (scrolled, 360, -1);
  gtk_popover_set_child (GTK_POPOVER (self->popover), scrolled);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (entry));

  g_signal_connect_swapped (entry, "changed", G_CALLBACK (entry_changed_cb), self);
  /* Leaving the field closes the list. */
  g_signal_connect_swapped (gtk_editable_get_delegate (GTK_EDITABLE (entry)), "notify::has-focus",
                            G_CALLBACK (hide_suggestions), self);

  /* Before the field and the window see the keys, while the list is open. */
  self->keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (self->keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (entry), self->keys);

  return self;
}

static void
cachet_recipient_completion_dispose (GObject *object)
{
  CachetRecipientCompletion *self = CACHET_RECIPIENT_COMPLETION (object);

  cachet_recipient_completion_detach (self);
  g_clear_object (&self->selection);
  g_clear_object (&self->suggestions);
  g_clear_object (&self->directory);

  G_OBJECT_CLASS (cachet_recipient_completion_parent_class)->dispose (object);
}

static void
cachet_recipient_completion_class_init (CachetRecipientCompletionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cachet_recipient_completion_dispose;
}

static void
cachet_recipient_completion_init (CachetRecipientCompletion *self)
{
  self->directory = cachet_directory_new (NULL);
  self->suggestions = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->suggestions)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
}
