/* bench-directory-search.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Times directory searches in process, as the composer's autocomplete and
 * the directory dialog make them: one query per line of the standard input,
 * 20 results each, against the directory of the XDG data directory. Prints
 * one JSON object: the latencies in microseconds (p50, p90, p99, max) and
 * how many queries found nothing. Driven by tests/bench/directory/run. */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <stdlib.h>
#include <unistd.h>

#include "cachet-directory.h"

#define RESULTS_PER_QUERY 20

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
percentile (GArray *sorted,
            double  fraction)
{
  guint index = (guint) (fraction * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, gint64, index);
}

int
main (void)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (input);
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  guint empty = 0;
  char *line;

  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      g_autofree char *text = line;
      g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (text, RESULTS_PER_QUERY);
      g_autoptr(GListModel) results = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      results = cachet_directory_search (directory, query, NULL, &error);
      elapsed = g_get_monotonic_time () - start;
      if (results == NULL)
        {
          g_printerr ("bench-directory-search: “%s”: %s\n", text, error->message);
          return EXIT_FAILURE;
        }
      if (g_list_model_get_n_items (results) == 0)
        empty++;
      g_array_append_val (times, elapsed);
    }
  if (error != NULL || times->len == 0)
    {
      g_printerr ("bench-directory-search: %s\n", error != NULL ? error->message : "no query given");
      return EXIT_FAILURE;
    }

  g_array_sort (times, compare_times);
  g_print ("{\"queries\": %u, \"empty\": %u, \"p50_us\": %" G_GINT64_FORMAT
           ", \"p90_us\": %" G_GINT64_FORMAT ", \"p99_us\": %" G_GINT64_FORMAT
           ", \"max_us\": %" G_GINT64_FORMAT "}\n",
           times->len, empty, percentile (times, 0.5), percentile (times, 0.9),
           percentile (times, 0.99), g_array_index (times, gint64, times->len - 1));
  return EXIT_SUCCESS;
}
