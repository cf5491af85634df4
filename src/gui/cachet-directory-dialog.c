/* cachet-directory-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-application.h"
#include "cachet-directory.h"
#include "cachet-directory-dialog.h"
#include "cachet-directory-fhir.h"

/* Searches the offline Annuaire Santé as the user types, then the
 * Annuaire Santé online (FHIR API, with the API key of the keyring) for
 * the professionals the extract does not have yet. Each entry shows its
 * MSSanté addresses, to copy or, when the dialog was opened from a
 * composer, to add to its recipients. Without a directory, it offers to
 * download one. */

#define RESULT_LIMIT 50
/* The online search waits for a pause in typing: each one costs the
 * gateway a few requests of the 17 a second it allows, and takes seconds. */
#define ONLINE_DELAY_MS 600

struct _CachetDirectoryDialog
{
  AdwWindow                  parent_instance;

  CachetDirectory           *directory;
  GSettings                 *settings;
  CachetCredentialsProvider *credentials;
  /* Kept from one search to the next, for its rate limit; made again when
   * the address in the settings changes. */
  CachetDirectoryFhir       *fhir;
  char                      *fhir_url;
  /* Weak: the composer may close first, and the buttons then go. */
  GWeakRef                   composer;
  /* Cancelled when the window closes. */
  GCancellable              *cancellable;
  /* The search under way, offline then online, cancelled by the next key
   * press. */
  GCancellable              *search_cancellable;
  /* What the list shows: the offline results, then the online ones. */
  GListStore                *results;
  /* The online search to come after a pause, and its text. */
  guint                      online_timeout_id;
  char                      *online_text;

  /* Template widgets */
  AdwToastOverlay           *toast_overlay;
  GtkWidget                 *search_box;
  GtkSearchEntry            *search_entry;
  GtkEditable               *profession_entry;
  GtkEditable               *specialty_entry;
  GtkEditable               *place_entry;
  GtkDropDown               *type_dropdown;
  GtkStack                  *stack;
  GtkListBox                *result_list;
  AdwStatusPage             *message_page;
  GtkWidget                 *download_button;
  GtkProgressBar            *download_progress;
  GtkWidget                 *online_status;
  GtkSpinner                *online_spinner;
  GtkWidget                 *online_warning;
  GtkLabel                  *online_status_label;
  GtkWidget                 *online_preferences_button;
};

G_DEFINE_FINAL_TYPE (CachetDirectoryDialog, cachet_directory_dialog, ADW_TYPE_WINDOW)

/* Callbacks keep the dialog alive; once it is closed they have nothing to
 * show their results in. */
static gboolean
is_closed (CachetDirectoryDialog *self)
{
  return g_cancellable_is_cancelled (self->cancellable);
}

static void
show_toast (CachetDirectoryDialog *self,
            const char            *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* The description is markup; error messages may quote anything. */
static void
show_message (CachetDirectoryDialog *self,
              const char            *title,
              const char            *description)
{
  g_autofree char *escaped = g_markup_escape_text (description, -1);

  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

/* No directory: searching is pointless until one is downloaded. */
static void
show_empty_state (CachetDirectoryDialog *self)
{
  gtk_widget_set_sensitive (self->search_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  CachetDirectoryDialog *self = user_data;
  const char *address = g_object_get_data (G_OBJECT (button), "address");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), address);
  show_toast (self, _("Address copied"));
}

static void
add_clicked_cb (GtkButton *button,
                gpointer   user_data)
{
  CachetDirectoryDialog *self = user_data;
  g_autoptr(CachetComposerWindow) composer = g_weak_ref_get (&self->composer);
  const char *address = g_object_get_data (G_OBJECT (button), "address");
  g_autofree char *message = NULL;

  if (composer == NULL)
    {
      show_toast (self, _("The message this directory was opened from is closed"));
      return;
    }
  cachet_composer_window_add_recipient (composer, address);
  message = g_strdup_printf (_("%s added to the recipients"), address);
  show_toast (self, message);
}

static GtkWidget *
new_dim_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* An icon button for one address; @label names the action and the
 * address, for tooltips and assistive technologies alike. */
static GtkWidget *
new_address_button (const char *icon_name,
                    const char *label,
                    const char *address,
                    GCallback   callback,
                    gpointer    user_data)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "address", g_strdup (address), g_free);
  g_signal_connect (button, "clicked", callback, user_data);
  return button;
}

static const char *
mailbox_type_label (CachetDirectoryMailboxType type)
{
  switch (type)
    {
    case CACHET_DIRECTORY_MAILBOX_PERSONAL:
      return _("A professional’s own mailbox");
    case CACHET_DIRECTORY_MAILBOX_ORGANISATIONAL:
      return _("The mailbox of a structure or a service");
    case CACHET_DIRECTORY_MAILBOX_APPLICATION:
      return _("A mailbox used by software");
    case CACHET_DIRECTORY_MAILBOX_PRACTICE:
      return _("A practice’s mailbox");
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
create_mailbox_line (CachetDirectoryDialog  *self,
                     CachetDirectoryMailbox *mailbox,
                     gboolean                can_add)
{
  const char *address = cachet_directory_mailbox_get_address (mailbox);
  const char *code = cachet_directory_mailbox_type_to_code (cachet_directory_mailbox_get_mailbox_type (mailbox));
  const char *organisation = cachet_directory_mailbox_get_organisation (mailbox);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *badge = gtk_label_new (code);
  GtkWidget *address_label = gtk_label_new (address);
  g_autofree char *place = NULL;
  g_autofree char *copy_label = g_strdup_printf (_("Copy %s"), address);

  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, mailbox_type_label (cachet_directory_mailbox_get_mailbox_type (mailbox)));
  gtk_widget_add_css_class (badge, "caption-heading");
  gtk_widget_add_css_class (badge, "accent");
  gtk_box_append (GTK_BOX (line), badge);

  gtk_label_set_xalign (GTK_LABEL (address_label), 0);
  gtk_label_set_selectable (GTK_LABEL (address_label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (address_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (text), address_label);
  /* Translators: under an address: the structure, then the city. */
  place = *organisation != '\0'
    ? g_strdup_printf (_("%s, %s"), organisation, cachet_directory_mailbox_get_city (mailbox))
    : g_strdup (cachet_directory_mailbox_get_city (mailbox));
  if (*place != '\0')
    {
      GtkWidget *place_label = new_dim_label (place);

      gtk_widget_add_css_class (place_label, "caption");
      gtk_box_append (GTK_BOX (text), place_label);
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (line), text);

  if (can_add)
    {
      g_autofree char *add_label = g_strdup_printf (_("Add %s as a recipient"), address);

      gtk_box_append (GTK_BOX (line),
                      new_address_button ("list-add-symbolic", add_label, address,
                                          G_CALLBACK (add_clicked_cb), self));
    }
  gtk_box_append (GTK_BOX (line),
                  new_address_button ("edit-copy-symbolic", copy_label, address,
                                      G_CALLBACK (copy_clicked_cb), self));
  return line;
}

static GtkWidget *
create_entry_row (gpointer item,
                  gpointer user_data)
{
  CachetDirectoryDialog *self = user_data;
  CachetDirectoryEntry *entry = item;
  g_autoptr(CachetComposerWindow) composer = g_weak_ref_get (&self->composer);
  GListModel *mailboxes = cachet_directory_entry_get_mailboxes (entry);
  const char *profession = cachet_directory_entry_get_profession (entry);
  const char *specialty = cachet_directory_entry_get_specialty (entry);
  g_autofree char *name = cachet_directory_entry_dup_name (entry);
  g_autofree char *practice = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name_label = gtk_label_new (name);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_wrap (GTK_LABEL (name_label), TRUE);
  gtk_widget_set_hexpand (name_label, TRUE);
  gtk_widget_add_css_class (name_label, "heading");
  gtk_box_append (GTK_BOX (title), name_label);
  /* The extract of tomorrow will have it; until then, it is only found
   * online. */
  if (cachet_directory_entry_is_online (entry))
    {
      GtkWidget *badge = gtk_label_new (_("Online"));
      const char *where = _("Found in the Annuaire Santé online: not yet in the copy on this computer");

      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (badge, where);
      gtk_widget_add_css_class (badge, "caption-heading");
      gtk_widget_add_css_class (badge, "success");
      gtk_box_append (GTK_BOX (title), badge);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, where, -1);
    }
  gtk_box_append (GTK_BOX (box), title);

  /* Translators: a profession and its specialty, e.g. "Médecin, Cardiologie". */
  practice = *specialty != '\0' ? g_strdup_printf (_("%s, %s"), profession, specialty) : g_strdup (profession);
  if (*practice != '\0')
    gtk_box_append (GTK_BOX (box), new_dim_label (practice));

  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (mailboxes, i);

      gtk_box_append (GTK_BOX (box), create_mailbox_line (self, mailbox, composer != NULL));
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static void
hide_online_status (CachetDirectoryDialog *self)
{
  gtk_spinner_stop (self->online_spinner);
  gtk_widget_set_visible (self->online_status, FALSE);
}

/* Under the filters, so that it never hides the offline results. */
static void
show_online_status (CachetDirectoryDialog *self,
                    gboolean               searching,
                    const char            *message,
                    gboolean               offer_preferences)
{
  gtk_spinner_set_spinning (self->online_spinner, searching);
  gtk_widget_set_visible (GTK_WIDGET (self->online_spinner), searching);
  gtk_widget_set_visible (self->online_warning, !searching);
  gtk_label_set_text (self->online_status_label, message);
  gtk_widget_set_visible (self->online_preferences_button, offer_preferences);
  gtk_widget_set_visible (self->online_status, TRUE);
}

static void
show_online_error (CachetDirectoryDialog *self,
                   const GError          *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NO_API_KEY))
    {
      show_online_status (self, FALSE,
                          _("Only the copy on this computer was searched. To search the Annuaire Santé online "
                            "too, get an API key from the ANS portal (portal.api.esante.gouv.fr) and add it in "
                            "Preferences, General."),
                          TRUE);
      return;
    }
  if (g_error_matches (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_API_KEY_REFUSED))
    {
      show_online_status (self, FALSE, error->message, TRUE);
      return;
    }
  /* The engine's own errors (timeout, answers it cannot use) say what to
   * do; those of the network are libsoup's and do not. */
  if (error->domain == CACHET_DIRECTORY_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    message = g_strdup_printf (_("Only the copy on this computer was searched. %s"), error->message);
  else
    message = g_strdup_printf (_("The Annuaire Santé online could not be reached (%s): only the copy on this "
                                 "computer was searched. Check the connection, then search again."),
                               error->message);
  show_online_status (self, FALSE, message, FALSE);
}

static void
online_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CachetDirectoryDialog) self = user_data;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = cachet_directory_fhir_search_finish (CACHET_DIRECTORY_FHIR (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_closed (self))
    return;
  if (entries == NULL)
    {
      show_online_error (self, error);
      return;
    }
  hide_online_status (self);
  if (cachet_directory_entries_append_new (self->results, entries) > 0)
    gtk_stack_set_visible_child_name (self->stack, "results");
}

/* The client for the address of the settings, as it is now. */
static CachetDirectoryFhir *
ensure_fhir (CachetDirectoryDialog *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "directory-fhir-url");

  if (self->fhir == NULL || g_strcmp0 (url, self->fhir_url) != 0)
    {
      g_clear_object (&self->fhir);
      self->fhir = cachet_directory_fhir_new (url, self->credentials);
      g_free (self->fhir_url);
      self->fhir_url = g_steal_pointer (&url);
    }
  return self->fhir;
}

static gboolean
online_timeout_cb (gpointer user_data)
{
  CachetDirectoryDialog *self = user_data;

  self->online_timeout_id = 0;
  show_online_status (self, TRUE, _("Searching the Annuaire Santé online…"), FALSE);
  cachet_directory_fhir_search_async (ensure_fhir (self), self->online_text, RESULT_LIMIT, self->search_cancellable,
                                      online_done_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
replace_results (CachetDirectoryDialog *self,
                 GListModel            *entries)
{
  guint n = g_list_model_get_n_items (entries);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (entries, i));
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)), items->pdata, n);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CachetDirectoryDialog) self = user_data;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = cachet_directory_search_finish (CACHET_DIRECTORY (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_closed (self))
    return;
  if (g_error_matches (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED))
    {
      show_empty_state (self);
      return;
    }
  if (entries == NULL)
    {
      show_message (self, _("The Directory Cannot Be Searched"), error->message);
      return;
    }
  replace_results (self, entries);
  if (g_list_model_get_n_items (entries) == 0)
    show_message (self, _("No Match"),
                  _("Check the spelling, or remove a filter. Only professionals with an MSSanté "
                    "mailbox are listed."));
  else
    gtk_stack_set_visible_child_name (self->stack, "results");
  /* After the offline results, never before: they replace the list. */
  if (self->online_text != NULL)
    self->online_timeout_id = g_timeout_add (ONLINE_DELAY_MS, online_timeout_cb, self);
}

static char *
dup_filter (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* The search entry waits for a pause in typing; every change starts a
 * new search and drops the one under way, offline or online, whose
 * results are stale. */
static void
query_changed_cb (CachetDirectoryDialog *self)
{
  g_autofree char *text = dup_filter (GTK_EDITABLE (self->search_entry));
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (text, RESULT_LIMIT);
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  gboolean filtered;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_handle_id (&self->online_timeout_id, g_source_remove);
  g_clear_pointer (&self->online_text, g_free);
  hide_online_status (self);

  query->profession = dup_filter (self->profession_entry);
  query->specialty = dup_filter (self->specialty_entry);
  query->place = dup_filter (self->place_entry);
  /* The dropdown lists "any" first, then the types in their enum order. */
  query->has_mailbox_type = type != GTK_INVALID_LIST_POSITION && type > 0;
  if (query->has_mailbox_type)
    query->mailbox_type = (CachetDirectoryMailboxType) (type - 1);
  filtered = query->profession != NULL || query->specialty != NULL || query->place != NULL ||
             query->has_mailbox_type;

  if (query->text == NULL && !filtered)
    {
      gtk_stack_set_visible_child_name (self->stack, "prompt");
      return;
    }

  /* The online search knows names and addresses, not the filters: what it
   * found would not match them. */
  if (query->text != NULL && !filtered)
    self->online_text = g_strdup (query->text);
  self->search_cancellable = g_cancellable_new ();
  cachet_directory_search_async (self->directory, query, self->search_cancellable, search_done_cb,
                                 g_object_ref (self));
}

static void
download_progress_cb (double   fraction,
                      gpointer user_data)
{
  CachetDirectoryDialog *self = user_data;

  if (is_closed (self))
    return;
  gtk_progress_bar_set_fraction (self->download_progress, fraction);
}

static void
download_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CachetDirectoryDialog) self = user_data;
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (!cachet_directory_update_finish (CACHET_DIRECTORY (source), result, &report, &error))
    {
      if (is_closed (self))
        return;
      gtk_widget_set_visible (GTK_WIDGET (self->download_progress), FALSE);
      gtk_widget_set_sensitive (self->download_button, TRUE);
      show_toast (self, error->message);
      return;
    }
  if (is_closed (self))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->download_progress), FALSE);
  gtk_widget_set_sensitive (self->download_button, TRUE);
  gtk_widget_set_sensitive (self->search_box, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "prompt");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  query_changed_cb (self);
}

/* The dialog stays alive until the download ends (or is cancelled by
 * closing), so that the progress has a bar to go to. */
static void
download_clicked_cb (CachetDirectoryDialog *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "directory-update-url");

  gtk_widget_set_sensitive (self->download_button, FALSE);
  gtk_progress_bar_set_fraction (self->download_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->download_progress), TRUE);
  cachet_directory_update_async (self->directory, url, download_progress_cb, self, self->cancellable,
                                 download_done_cb, g_object_ref (self));
}

/**
 * cachet_directory_dialog_new:
 * @application: the application the window belongs to, whose keyring
 *   keeps the API key of the Annuaire Santé online
 * @composer: (nullable): the message whose recipients the dialog adds to
 *
 * Returns: (transfer none): a new directory window, owned by GTK like every
 *   window
 */
CachetDirectoryDialog *
cachet_directory_dialog_new (GtkApplication       *application,
                             CachetComposerWindow *composer)
{
  CachetDirectoryDialog *self;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CACHET_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (composer == NULL || CACHET_IS_COMPOSER_WINDOW (composer), NULL);

  self = g_object_new (CACHET_TYPE_DIRECTORY_DIALOG, "application", application, NULL);
  self->credentials = g_object_ref (cachet_application_get_credentials (CACHET_APPLICATION (application)));
  g_weak_ref_set (&self->composer, composer);
  if (composer != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (composer));

  /* Reading the info is quick (a few values), so the first frame already
   * says whether there is a directory to search. */
  info = cachet_directory_query_info (self->directory, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED))
        show_empty_state (self);
      else
        show_message (self, _("The Directory Cannot Be Read"), error->message);
    }
  return self;
}

static void
cachet_directory_dialog_dispose (GObject *object)
{
  CachetDirectoryDialog *self = CACHET_DIRECTORY_DIALOG (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_handle_id (&self->online_timeout_id, g_source_remove);
  /* Kept until finalize: late callbacks look at it to know the dialog is
   * closed. */
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_DIRECTORY_DIALOG);
  g_clear_object (&self->directory);
  g_clear_object (&self->fhir);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (cachet_directory_dialog_parent_class)->dispose (object);
}

static void
cachet_directory_dialog_finalize (GObject *object)
{
  CachetDirectoryDialog *self = CACHET_DIRECTORY_DIALOG (object);

  g_weak_ref_clear (&self->composer);
  g_object_unref (self->cancellable);
  g_free (self->fhir_url);
  g_free (self->online_text);

  G_OBJECT_CLASS (cachet_directory_dialog_parent_class)->finalize (object);
}

static void
cachet_directory_dialog_class_init (CachetDirectoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_directory_dialog_dispose;
  object_class->finalize = cachet_directory_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-directory-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, search_box);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, profession_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, specialty_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, place_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, result_list);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, message_page);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, download_button);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, download_progress);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, online_status);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, online_spinner);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, online_warning);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, online_status_label);
  gtk_widget_class_bind_template_child (widget_class, CachetDirectoryDialog, online_preferences_button);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cachet_directory_dialog_init (CachetDirectoryDialog *self)
{
  g_weak_ref_init (&self->composer, NULL);
  self->directory = cachet_directory_new (NULL);
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->results = g_list_store_new (CACHET_TYPE_DIRECTORY_ENTRY);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->result_list, G_LIST_MODEL (self->results), create_entry_row, self, NULL);
}
