/* cachet-cli-directory.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-cli.h"
#include "cachet-cli-directory.h"
#include "cachet-directory.h"
#include "cachet-directory-fhir.h"
#include "cachet-secret-credentials.h"

/* The offline Annuaire Santé: import the public extract, search it, say
 * what it holds. */

static const char directory_import_summary[] = N_("Import the Annuaire Santé extract (zip or text)");
static const char directory_search_summary[] = N_("Search the directory for professionals and their MSSanté addresses");
static const char directory_info_summary[] = N_("Show the date and size of the imported directory");
static const char directory_update_summary[] = N_("Download the latest Annuaire Santé extract and import it");

static void
add_uint (JsonBuilder *builder,
          const char  *name,
          guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) MIN (value, (guint64) G_MAXINT64));
}

/* Progress goes to a terminal only: scripts get the report alone.
 * @user_data is what is being done. */
static void
print_progress (double   fraction,
                gpointer user_data)
{
  const char *doing = user_data;

  g_printerr ("\r%s %3d %%", doing, (int) (fraction * 100));
}

/* The members of the report, in the object being built. */
static void
add_import_report (JsonBuilder                       *builder,
                   const CachetDirectoryImportReport *report)
{
  add_uint (builder, "entries", report->entries);
  add_uint (builder, "mailboxes", report->mailboxes);
  add_uint (builder, "unlisted", report->unlisted);
  add_uint (builder, "duplicates", report->duplicates);
  add_uint (builder, "malformed", report->malformed);
  json_builder_set_member_name (builder, "malformed_lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->malformed_lines->len; i++)
    {
      const CachetDirectoryMalformedLine *line =
        &g_array_index (report->malformed_lines, CachetDirectoryMalformedLine, i);

      json_builder_begin_object (builder);
      add_uint (builder, "line", line->line);
      cachet_cli_add_string (builder, "reason", line->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  cachet_cli_add_string (builder, "extract_date", report->extract_date);
}

/* Counts are formatted apart: a G_GUINT64_FORMAT in a translatable string
 * would hide it from xgettext. */
static char *
format_count (guint64 count)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, count);
}

static gulong
plural_count (guint64 count)
{
  return (gulong) MIN (count, (guint64) G_MAXULONG);
}

static void
print_import_report (const CachetDirectoryImportReport *report)
{
  g_autofree char *entries = format_count (report->entries);
  g_autofree char *mailboxes = format_count (report->mailboxes);
  g_autofree char *unlisted = format_count (report->unlisted);
  g_autofree char *duplicates = format_count (report->duplicates);
  g_autofree char *malformed = format_count (report->malformed);

  g_print (g_dngettext (GETTEXT_PACKAGE, "%s entry imported", "%s entries imported",
                        plural_count (report->entries)),
           entries);
  g_print (g_dngettext (GETTEXT_PACKAGE, ", with %s mailbox.\n", ", with %s mailboxes.\n",
                        plural_count (report->mailboxes)),
           mailboxes);
  if (report->unlisted > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%s row left out: not to be published.\n",
                          "%s rows left out: not to be published.\n",
                          plural_count (report->unlisted)),
             unlisted);
  if (report->duplicates > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%s row left out: its address was already listed.\n",
                          "%s rows left out: their address was already listed.\n",
                          plural_count (report->duplicates)),
             duplicates);
  if (report->malformed > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%s line could not be read:\n",
                          "%s lines could not be read:\n",
                          plural_count (report->malformed)),
             malformed);
  for (guint i = 0; i < report->malformed_lines->len; i++)
    {
      const CachetDirectoryMalformedLine *line =
        &g_array_index (report->malformed_lines, CachetDirectoryMalformedLine, i);
      g_autofree char *number = format_count (line->line);

      g_print (_("  line %s: %s\n"), number, line->reason);
    }
  if (report->malformed > report->malformed_lines->len)
    g_print (_("  and more (only the first ones are listed)\n"));
}

static int
command_directory_import (int    argc,
                          char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean show_progress;
  int status;

  g_option_context_set_summary (context,
                                _("Import the Extraction_Correspondance_MSSante file of the Annuaire Santé, "
                                  "as downloaded (zip) or unpacked (text). It replaces the directory "
                                  "imported before only once it has been read in full."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (argc != 2)
    {
      g_printerr (_("cachet-cli: say which file to import\n"));
      return CACHET_CLI_USAGE;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  show_progress = isatty (STDERR_FILENO);
  cachet_directory_import_async (directory, file, show_progress ? print_progress : NULL, (gpointer) _("Importing…"),
                                 NULL, cachet_cli_result_cb, &result);
  report = cachet_directory_import_finish (directory, cachet_cli_wait (&result), &error);
  if (show_progress)
    g_printerr ("\n");
  if (report == NULL)
    return cachet_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_import_report (builder, report);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else
    {
      print_import_report (report);
    }

  return 0;
}

static void
add_entry (JsonBuilder          *builder,
           CachetDirectoryEntry *entry)
{
  GListModel *mailboxes = cachet_directory_entry_get_mailboxes (entry);
  g_autofree char *name = cachet_directory_entry_dup_name (entry);

  json_builder_begin_object (builder);
  cachet_cli_add_string (builder, "name", name);
  cachet_cli_add_string (builder, "kind", cachet_directory_entry_is_organisation (entry) ?
                                          "organisation" : "person");
  cachet_cli_add_string (builder, "civility", cachet_directory_entry_get_civility (entry));
  cachet_cli_add_string (builder, "first_name", cachet_directory_entry_get_first_name (entry));
  cachet_cli_add_string (builder, "last_name", cachet_directory_entry_get_last_name (entry));
  cachet_cli_add_string (builder, "profession", cachet_directory_entry_get_profession (entry));
  cachet_cli_add_string (builder, "specialty", cachet_directory_entry_get_specialty (entry));
  cachet_cli_add_string (builder, "national_id", cachet_directory_entry_get_national_id (entry));
  json_builder_set_member_name (builder, "mailboxes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (mailboxes, i);
      CachetDirectoryMailboxType type = cachet_directory_mailbox_get_mailbox_type (mailbox);

      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "address", cachet_directory_mailbox_get_address (mailbox));
      cachet_cli_add_string (builder, "type", cachet_directory_mailbox_type_to_code (type));
      cachet_cli_add_string (builder, "organisation", cachet_directory_mailbox_get_organisation (mailbox));
      cachet_cli_add_string (builder, "service", cachet_directory_mailbox_get_service (mailbox));
      cachet_cli_add_string (builder, "street", cachet_directory_mailbox_get_street (mailbox));
      cachet_cli_add_string (builder, "postcode", cachet_directory_mailbox_get_postcode (mailbox));
      cachet_cli_add_string (builder, "city", cachet_directory_mailbox_get_city (mailbox));
      cachet_cli_add_string (builder, "department", cachet_directory_mailbox_get_department (mailbox));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* One line for the entry, then one indented line per mailbox, fields
 * separated by tabs. */
static void
print_entry (CachetDirectoryEntry *entry)
{
  GListModel *mailboxes = cachet_directory_entry_get_mailboxes (entry);
  g_autofree char *name = cachet_directory_entry_dup_name (entry);

  g_print ("%s\t%s\t%s\t%s\n", name, cachet_directory_entry_get_profession (entry),
           cachet_directory_entry_get_specialty (entry),
           cachet_directory_entry_get_national_id (entry));
  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (mailboxes, i);
      CachetDirectoryMailboxType type = cachet_directory_mailbox_get_mailbox_type (mailbox);

      g_print ("\t%s\t%s\t%s\t%s %s\n", cachet_directory_mailbox_get_address (mailbox),
               cachet_directory_mailbox_type_to_code (type),
               cachet_directory_mailbox_get_organisation (mailbox),
               cachet_directory_mailbox_get_postcode (mailbox),
               cachet_directory_mailbox_get_city (mailbox));
    }
}

/* Keeps the key read from the standard input in the keyring, where the
 * searches look it up. */
static gboolean
store_api_key_from_stdin (CachetCredentialsProvider  *credentials,
                          GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = cachet_cli_read_secret (error);
  gboolean stored;

  if (key == NULL)
    return FALSE;
  cachet_credentials_provider_store_async (credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID, CACHET_SECRET_PASSWORD,
                                           key, NULL, cachet_cli_result_cb, &result);
  stored = cachet_credentials_provider_store_finish (credentials, cachet_cli_wait (&result), error);
  memset (key, 0, strlen (key));
  return stored;
}

/* The offline results and the online ones they lack. When the online half
 * fails, @results keeps the offline ones and @error says why. */
static gboolean
search_online (CachetDirectory             *directory,
               const CachetDirectoryQuery  *query,
               const char                  *fhir_url,
               gboolean                     api_key_stdin,
               GListModel                 **results,
               GError                     **error)
{
  g_autoptr(CachetSecretCredentials) credentials = cachet_secret_credentials_new ();
  g_autoptr(CachetDirectoryFhir) fhir = cachet_directory_fhir_new (fhir_url,
                                                                   CACHET_CREDENTIALS_PROVIDER (credentials));
  g_autoptr(GAsyncResult) result = NULL;

  if (api_key_stdin && !store_api_key_from_stdin (CACHET_CREDENTIALS_PROVIDER (credentials), error))
    return FALSE;
  *results = cachet_directory_fhir_search_merged (fhir, directory, query, NULL, cachet_cli_result_cb, &result);
  return cachet_directory_fhir_search_merged_finish (fhir, cachet_cli_wait (&result), error);
}

static int
command_directory_search (int    argc,
                          char **argv)
{
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (NULL, 20);
  g_autofree char *type = NULL;
  g_autofree char *fhir_url = NULL;
  gboolean online = FALSE;
  gboolean api_key_stdin = FALSE;
  gboolean json = FALSE;
  int limit = 20;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most this many entries, best first (20 by default)"), N_("N") },
    { "profession", 0, 0, G_OPTION_ARG_STRING, &query->profession, N_("Only this profession, e.g. “Médecin”"), N_("PROFESSION") },
    { "specialty", 0, 0, G_OPTION_ARG_STRING, &query->specialty, N_("Only this specialty, e.g. “Pédiatrie”"), N_("SPECIALTY") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &query->place, N_("Only this department, city or postcode"), N_("PLACE") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("Only entries with a mailbox of this type: PER, ORG, APP or CAB"), N_("TYPE") },
    { "online", 0, 0, G_OPTION_ARG_NONE, &online, N_("Also search the Annuaire Santé online, by name or MSSanté address"), NULL },
    { "fhir-url", 0, 0, G_OPTION_ARG_STRING, &fhir_url, N_("Search online at this FHIR address instead of the ANS’s (implies --online)"), N_("URL") },
    { "api-key-stdin", 0, 0, G_OPTION_ARG_NONE, &api_key_stdin, N_("Read the Annuaire Santé API key from the standard input and keep it in the keyring (implies --online)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[QUERY…]"));
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) online_error = NULL;
  gboolean online_ok = TRUE;
  int status;

  g_option_context_set_summary (context,
                                _("Search the imported directory. Every word must start a word of the "
                                  "name, profession, specialty, organisation, place or MSSanté address; case "
                                  "and accents do not matter. Exact names come first."));
  g_option_context_set_description (context,
                                    _("With --online, the Annuaire Santé is also searched through its FHIR API "
                                      "(family name first, or an address; the filters apply offline only) with "
                                      "the API key kept in the keyring, and the entries the imported directory "
                                      "does not have follow its own. If the online search fails, the offline "
                                      "entries are printed before the error."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (limit <= 0)
    {
      g_printerr (_("cachet-cli: --limit must be a positive number\n"));
      return CACHET_CLI_USAGE;
    }
  if (type != NULL && !cachet_directory_mailbox_type_from_code (type, &query->mailbox_type))
    {
      g_printerr (_("cachet-cli: --type must be PER, ORG, APP or CAB\n"));
      return CACHET_CLI_USAGE;
    }
  query->has_mailbox_type = type != NULL;
  query->limit = (guint) limit;
  query->text = g_strjoinv (" ", argv + 1);

  if (online || fhir_url != NULL || api_key_stdin)
    {
      online_ok = search_online (directory, query, fhir_url, api_key_stdin, &results, &online_error);
      if (results == NULL)
        return cachet_cli_fail (online_error);
    }
  else
    {
      cachet_directory_search_async (directory, query, NULL, cachet_cli_result_cb, &result);
      results = cachet_directory_search_finish (directory, cachet_cli_wait (&result), &error);
      if (results == NULL)
        return cachet_cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (results); i++)
        {
          g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (results, i);

          add_entry (builder, entry);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; i < g_list_model_get_n_items (results); i++)
        {
          g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (results, i);

          print_entry (entry);
        }
    }

  if (!online_ok)
    return cachet_cli_fail (online_error);
  return 0;
}

static int
command_directory_info (int    argc,
                        char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(directory_info_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((info = cachet_directory_query_info (directory, &error)) == NULL)
    return cachet_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "path", info->path);
      add_uint (builder, "size", info->size);
      add_uint (builder, "entries", info->entries);
      add_uint (builder, "mailboxes", info->mailboxes);
      cachet_cli_add_string (builder, "extract_date", info->extract_date);
      cachet_cli_add_string (builder, "source_name", info->source_name);
      cachet_cli_add_string (builder, "imported_at", info->imported_at);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else
    {
      g_autofree char *size = g_format_size (info->size);

      g_print ("%s\t%s\n", _("Extract of"), info->extract_date != NULL ? info->extract_date : _("unknown"));
      g_print ("%s\t%" G_GUINT64_FORMAT "\n", _("Entries"), info->entries);
      g_print ("%s\t%" G_GUINT64_FORMAT "\n", _("Mailboxes"), info->mailboxes);
      g_print ("%s\t%s\n", _("Imported"), info->imported_at);
      g_print ("%s\t%s\n", _("Source"), info->source_name);
      g_print ("%s\t%s (%s)\n", _("File"), info->path, size);
    }

  return 0;
}

static int
command_directory_update (int    argc,
                          char **argv)
{
  g_autofree char *url = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("Download from this address instead of data.gouv.fr"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean show_progress;
  gboolean ok;
  int status;

  g_option_context_set_summary (context,
                                _("Download the Extraction_Correspondance_MSSante file, if it changed since "
                                  "the last update, and import it. The last extract imported is kept next "
                                  "to the directory."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  show_progress = isatty (STDERR_FILENO);
  cachet_directory_update_async (directory, url, show_progress ? print_progress : NULL, (gpointer) _("Updating…"),
                                 NULL, cachet_cli_result_cb, &result);
  ok = cachet_directory_update_finish (directory, cachet_cli_wait (&result), &report, &error);
  if (show_progress)
    g_printerr ("\n");
  if (!ok)
    return cachet_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "updated");
      json_builder_add_boolean_value (builder, report != NULL);
      if (report != NULL)
        add_import_report (builder, report);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else if (report != NULL)
    {
      print_import_report (report);
    }
  else
    {
      g_print (_("The directory is up to date: the extract has not changed since the last update.\n"));
    }

  return 0;
}

static const CachetCliCommand directory_commands[] = {
  { "import", command_directory_import, directory_import_summary },
  { "info", command_directory_info, directory_info_summary },
  { "search", command_directory_search, directory_search_summary },
  { "update", command_directory_update, directory_update_summary },
};

int
cachet_cli_directory (int    argc,
                      char **argv)
{
  return cachet_cli_run_subcommand ("directory", directory_commands, G_N_ELEMENTS (directory_commands),
                                    argc, argv);
}
