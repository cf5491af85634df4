/* cachet-fuzz-replay.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Without libFuzzer, each fuzz target is linked with this main(), which feeds
 * it every file given on the command line (or found in the directories given),
 * so that the corpus and every crash once found run as ordinary tests, under
 * the sanitizers of the build. */

#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
}

int
main (int    argc,
      char **argv)
{
  guint replayed = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);

              replay_file (path);
              replayed++;
            }
        }
      else
        {
          replay_file (argv[i]);
          replayed++;
        }
    }

  g_print ("replayed %u inputs\n", replayed);
  return replayed > 0 ? 0 : 1;
}
