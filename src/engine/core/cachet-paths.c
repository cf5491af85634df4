/* cachet-paths.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "cachet-paths.h"

/* Every piece of state lives under the XDG base directories, so that tests and
 * scripts isolate a whole Cachet instance with XDG_* variables, and a Flatpak
 * keeps it inside the sandbox. The GLib getters cache their first answer, so
 * the paths are derived on each call rather than cached again here. */

static const char *
in_cachet_subdir (const char *base)
{
  /* Interned: the result stays valid for the life of the process and repeated
   * calls return the same pointer. */
  g_autofree char *path = g_build_filename (base, PACKAGE_NAME, NULL);

  return g_intern_string (path);
}

/**
 * cachet_paths_get_config_dir:
 *
 * Returns: (transfer none): where accounts and settings files are kept.
 */
const char *
cachet_paths_get_config_dir (void)
{
  return in_cachet_subdir (g_get_user_config_dir ());
}

/**
 * cachet_paths_get_data_dir:
 *
 * Returns: (transfer none): where mail, indexes and journals are kept.
 */
const char *
cachet_paths_get_data_dir (void)
{
  return in_cachet_subdir (g_get_user_data_dir ());
}

/**
 * cachet_paths_get_cache_dir:
 *
 * Returns: (transfer none): where data that can be fetched again is kept.
 */
const char *
cachet_paths_get_cache_dir (void)
{
  return in_cachet_subdir (g_get_user_cache_dir ());
}
