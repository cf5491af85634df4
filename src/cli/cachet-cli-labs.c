/* cachet-cli-labs.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-cli.h"
#include "cachet-cli-labs.h"
#include "cachet-lab-filer.h"
#include "cachet-lab-mail-import.h"

/* `cachet-cli labs`: file lab result files by hand or from scripts, and
 * read the import journal. */

static const char labs_import_summary[] = N_("Read lab result files and file them in the patients’ folders");
static const char labs_import_mail_summary[] = N_("File the lab results found in the messages of a folder kept on this computer");
static const char labs_list_summary[] = N_("List the imported lab results and what was done with each");
static const char labs_charset_summary[] = N_("Show or change the character set used for the text files of a sender");

/* The layout Preferences sets for the application, as options: the
 * command line reads no settings, and files as it always did without them. */
typedef struct
{
  gboolean by_year;
  gboolean no_html_beside_pdf;
  gboolean inbox_by_day;
} LayoutOptions;

static void
add_layout_options (GOptionContext *context,
                    LayoutOptions  *options)
{
  const GOptionEntry entries[] = {
    { "by-year", 0, 0, G_OPTION_ARG_NONE, &options->by_year,
      N_("File into one sub-folder per year in each patient’s folder"), NULL },
    { "no-html-beside-pdf", 0, 0, G_OPTION_ARG_NONE, &options->no_html_beside_pdf,
      N_("Write the readable HTML page only for reports that came without a PDF"), NULL },
    { "inbox-by-day", 0, 0, G_OPTION_ARG_NONE, &options->inbox_by_day,
      N_("Copy into one sub-folder per day of the practice software’s inbox folder"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static CachetLabLayout
layout_from_options (const LayoutOptions *options)
{
  return (options->by_year ? CACHET_LAB_LAYOUT_BY_YEAR : 0)
         | (options->no_html_beside_pdf ? CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF : 0)
         | (options->inbox_by_day ? CACHET_LAB_LAYOUT_INBOX_BY_DAY : 0);
}

static CachetLabFiler *
open_filer (const char *archive_dir,
            const char *inbox_dir)
{
  g_autofree char *journal = cachet_lab_filer_dup_default_journal ();
  g_autofree char *default_archive = cachet_lab_filer_dup_default_archive ();
  g_autoptr(GError) error = NULL;
  CachetLabFiler *filer;

  filer = cachet_lab_filer_new (journal, archive_dir != NULL ? archive_dir : default_archive, inbox_dir, &error);
  if (filer == NULL)
    cachet_cli_fail (error);
  return filer;
}

static void
add_entry_json (JsonBuilder           *builder,
                CachetLabJournalEntry *entry)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, cachet_lab_journal_entry_get_id (entry));
  cachet_cli_add_string (builder, "status",
                         cachet_lab_entry_status_to_string (cachet_lab_journal_entry_get_status (entry)));
  cachet_cli_add_string (builder, "file", cachet_lab_journal_entry_get_file_name (entry));
  cachet_cli_add_string (builder, "format", cachet_lab_journal_entry_get_format (entry));
  cachet_cli_add_string (builder, "patient", cachet_lab_journal_entry_get_patient (entry));
  cachet_cli_add_string (builder, "lab", cachet_lab_journal_entry_get_lab (entry));
  cachet_cli_add_string (builder, "report_id", cachet_lab_journal_entry_get_report_id (entry));
  cachet_cli_add_string (builder, "date", cachet_lab_journal_entry_get_date (entry));
  cachet_cli_add_string (builder, "folder", cachet_lab_journal_entry_get_folder (entry));
  cachet_cli_add_string (builder, "original", cachet_lab_journal_entry_get_original_path (entry));
  cachet_cli_add_string (builder, "reason", cachet_lab_journal_entry_get_reason (entry));
  json_builder_set_member_name (builder, "related_id");
  json_builder_add_int_value (builder, cachet_lab_journal_entry_get_related_id (entry));
  json_builder_end_object (builder);
}

static void
print_entry (CachetLabJournalEntry *entry)
{
  const char *reason = cachet_lab_journal_entry_get_reason (entry);
  const char *folder = cachet_lab_journal_entry_get_folder (entry);
  const char *patient = cachet_lab_journal_entry_get_patient (entry);

  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n",
           cachet_lab_journal_entry_get_id (entry),
           cachet_lab_entry_status_to_string (cachet_lab_journal_entry_get_status (entry)),
           cachet_lab_journal_entry_get_file_name (entry),
           patient != NULL ? patient : "",
           reason != NULL ? reason : (folder != NULL ? folder : ""));
}

static void
show_entries (GPtrArray   *entries,
              gboolean     json,
              JsonBuilder *builder)
{
  for (guint i = 0; i < entries->len; i++)
    {
      if (json)
        add_entry_json (builder, g_ptr_array_index (entries, i));
      else
        print_entry (g_ptr_array_index (entries, i));
    }
}

/* Files one file; FALSE after telling the user why it failed. */
static gboolean
import_one (CachetLabFiler *filer,
            GBytes         *bytes,
            const char     *name,
            const char     *sender,
            GBytes         *pdf,
            gboolean        json,
            JsonBuilder    *builder)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  cachet_lab_filer_import_async (filer, bytes, name, sender, pdf, NULL, cachet_cli_result_cb, &result);
  entries = cachet_lab_filer_import_finish (filer, cachet_cli_wait (&result), &error);
  if (entries == NULL)
    {
      g_printerr ("cachet-cli: %s: %s\n", name, error->message);
      return FALSE;
    }
  show_entries (entries, json, builder);
  return TRUE;
}

static void
finish_output (gboolean     json,
               JsonBuilder *builder)
{
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cachet_cli_print_json (root);
    }
}

static int
command_labs_import (int    argc,
                     char **argv)
{
  g_autofree char *into = NULL;
  g_autofree char *inbox = NULL;
  g_autofree char *sender = NULL;
  gboolean json = FALSE;
  /* The charset of a sender's files is set once with `labs charset`:
   * the journal keeps it for later imports and for reading them again. */
  const GOptionEntry entries[] = {
    { "into", 0, 0, G_OPTION_ARG_FILENAME, &into, N_("File into this per-patient archive folder"), N_("DIR") },
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, N_("Also copy each new file into the practice software’s inbox folder"), N_("DIR") },
    { "sender", 0, 0, G_OPTION_ARG_STRING, &sender, N_("The address the files came from"), N_("ADDRESS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE…"));
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  LayoutOptions layout = { 0 };
  int status;
  int exit_status = 0;

  g_option_context_set_summary (context, _(labs_import_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_layout_options (context, &layout);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (argc < 2)
    {
      g_printerr (_("cachet-cli: name at least one lab result file to import\n"));
      return CACHET_CLI_USAGE;
    }
  if ((filer = open_filer (into, inbox)) == NULL)
    return CACHET_CLI_FAILED;
  cachet_lab_filer_set_layout (filer, layout_from_options (&layout));

  json_builder_begin_array (builder);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, &error);
      g_autofree char *name = g_file_get_basename (file);

      if (bytes == NULL)
        {
          g_printerr ("cachet-cli: %s: %s\n", argv[i], error->message);
          exit_status = CACHET_CLI_FAILED;
        }
      else if (!import_one (filer, bytes, name, sender != NULL ? sender : "", NULL, json, builder))
        exit_status = CACHET_CLI_FAILED;
    }
  finish_output (json, builder);
  return exit_status;
}

static int
command_labs_import_mail (int    argc,
                          char **argv)
{
  g_autofree char *account_name = NULL;
  /* No default in it: GOption would drop it without freeing it. */
  g_autofree char *folder_arg = NULL;
  const char *folder;
  g_autofree char *into = NULL;
  g_autofree char *inbox = NULL;
  gboolean json = FALSE;
  int uid = 0;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Name of the account"), N_("NAME") },
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder_arg, N_("Folder (INBOX by default)"), N_("FOLDER") },
    { "uid", 0, 0, G_OPTION_ARG_INT, &uid,
      N_("File only this message, even if it was examined or filed before; UID as listed by “messages”"),
      N_("UID") },
    { "into", 0, 0, G_OPTION_ARG_FILENAME, &into, N_("File into this per-patient archive folder"), N_("DIR") },
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, N_("Also copy each new file into the practice software’s inbox folder"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(CachetLabMailImport) import = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) filed = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  CachetLabMailReport report;
  LayoutOptions layout = { 0 };
  int status;

  g_option_context_set_summary (context, _(labs_import_mail_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_layout_options (context, &layout);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  folder = folder_arg != NULL ? folder_arg : "INBOX";
  if (uid < 0)
    {
      g_printerr (_("cachet-cli: a UID is a positive number, as listed by “messages”\n"));
      return CACHET_CLI_USAGE;
    }
  if ((account = cachet_cli_find_account (account_name)) == NULL
      || (store = cachet_cli_open_store (account)) == NULL)
    return CACHET_CLI_FAILED;

  import = cachet_lab_mail_import_new (store, NULL, into, inbox);
  cachet_lab_mail_import_set_layout (import, layout_from_options (&layout));
  if (uid > 0)
    {
      /* The one message asked for, read again even if it was examined:
       * what the journal has already comes back as duplicates. */
      cachet_lab_mail_import_message_async (import, folder, uid, NULL, cachet_cli_result_cb, &result);
      filed = cachet_lab_mail_import_message_finish (import, cachet_cli_wait (&result), &report, &error);
    }
  else
    {
      /* Messages examined by an earlier run, or tagged by another
       * workstation, are not read again: the journal has their results. */
      cachet_lab_mail_import_run_async (import, folder, NULL, cachet_cli_result_cb, &result);
      filed = cachet_lab_mail_import_run_finish (import, cachet_cli_wait (&result), &report, &error);
    }
  if (filed == NULL)
    return cachet_cli_fail (error);

  json_builder_begin_array (builder);
  show_entries (filed, json, builder);
  finish_output (json, builder);
  if (!json && report.skipped > 0)
    /* On stderr: stdout lists journal entries only, for scripts. */
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u message skipped: another workstation filed its lab results\n",
                             "%u messages skipped: another workstation filed their lab results\n",
                             report.skipped),
                report.skipped);
  return 0;
}

static int
command_labs_list (int    argc,
                   char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  int status;
  guint n;

  g_option_context_set_summary (context, _(labs_list_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if ((filer = open_filer (NULL, NULL)) == NULL)
    return CACHET_CLI_FAILED;
  if ((journal = cachet_lab_filer_list_entries (filer, &error)) == NULL)
    return cachet_cli_fail (error);

  n = g_list_model_get_n_items (journal);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (journal, i);

      if (json)
        add_entry_json (builder, entry);
      else
        print_entry (entry);
    }
  finish_output (json, builder);
  return 0;
}

static int
command_labs_charset (int    argc,
                      char **argv)
{
  g_autofree char *sender = NULL;
  g_autofree char *charset = NULL;
  gboolean clear = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "sender", 0, 0, G_OPTION_ARG_STRING, &sender, N_("The address the files come from"), N_("ADDRESS") },
    { "set", 0, 0, G_OPTION_ARG_STRING, &charset, N_("Read this sender’s text files in this character set"), N_("CHARSET") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("Detect the character set of this sender’s files again"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GHashTable) charsets = NULL;
  g_autoptr(GList) senders = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(labs_charset_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if ((charset != NULL && clear) || ((charset != NULL || clear) != (sender != NULL)) || argc > 1)
    {
      g_printerr (_("cachet-cli: give --sender with either --set or --clear, or nothing to list the senders\n"));
      return CACHET_CLI_USAGE;
    }
  if ((filer = open_filer (NULL, NULL)) == NULL)
    return CACHET_CLI_FAILED;
  if (sender != NULL && !cachet_lab_filer_set_sender_charset (filer, sender, charset, &error))
    return cachet_cli_fail (error);
  if ((charsets = cachet_lab_filer_dup_sender_charsets (filer, &error)) == NULL)
    return cachet_cli_fail (error);

  /* Sorted, so that scripts and people compare two listings easily. */
  senders = g_list_sort (g_hash_table_get_keys (charsets), (GCompareFunc) g_strcmp0);
  json_builder_begin_array (builder);
  for (GList *l = senders; l != NULL; l = l->next)
    {
      const char *address = l->data;
      const char *value = g_hash_table_lookup (charsets, address);

      if (json)
        {
          json_builder_begin_object (builder);
          cachet_cli_add_string (builder, "sender", address);
          cachet_cli_add_string (builder, "charset", value);
          json_builder_end_object (builder);
        }
      else
        g_print ("%s\t%s\n", address, value);
    }
  finish_output (json, builder);
  return 0;
}

static const CachetCliCommand labs_commands[] = {
  { "import", command_labs_import, labs_import_summary },
  { "import-mail", command_labs_import_mail, labs_import_mail_summary },
  { "list", command_labs_list, labs_list_summary },
  { "charset", command_labs_charset, labs_charset_summary },
};

int
cachet_cli_labs (int    argc,
                 char **argv)
{
  return cachet_cli_run_subcommand ("labs", labs_commands, G_N_ELEMENTS (labs_commands), argc, argv);
}
