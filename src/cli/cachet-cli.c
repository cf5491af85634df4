/* cachet-cli.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>

#include "cachet-paths.h"

/* cachet-cli drives the same engine as the window, for scripts, practice
 * software and benchmarks. Data goes to stdout (as JSON with --json), errors
 * go to stderr with a non-zero exit status. */

typedef int (*CommandFunc) (int    argc,
                            char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  run;
  const char  *summary;
} Command;

static gboolean opt_json;

static const char commands_paths_summary[] = N_("Show the folders where Cachet keeps its data");

static int
run_option_context (GOptionContext   *context,
                    int              *argc,
                    char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("cachet-cli: %s\n", error->message);
      return 2;
    }

  return 0;
}

static void
print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
command_paths (int    argc,
               char **argv)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  int status;

  g_option_context_set_summary (context, _(commands_paths_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = run_option_context (context, &argc, &argv)) != 0)
    return status;

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "config");
      json_builder_add_string_value (builder, cachet_paths_get_config_dir ());
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, cachet_paths_get_data_dir ());
      json_builder_set_member_name (builder, "cache");
      json_builder_add_string_value (builder, cachet_paths_get_cache_dir ());
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
    }
  else
    {
      g_print ("%s\t%s\n", _("Settings and accounts"), cachet_paths_get_config_dir ());
      g_print ("%s\t%s\n", _("Mail and indexes"), cachet_paths_get_data_dir ());
      g_print ("%s\t%s\n", _("Cache"), cachet_paths_get_cache_dir ());
    }

  return 0;
}

static const Command commands[] = {
  { "paths", command_paths, commands_paths_summary },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _("Usage: cachet-cli COMMAND [OPTION…]"), _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “cachet-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("cachet-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].run (argc - 1, argv + 1);
    }

  g_printerr (_("cachet-cli: unknown command “%s”\n"), argv[1]);
  print_usage (stderr);
  return 2;
}
