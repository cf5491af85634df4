/* cachet-file-tree.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "cachet-file-tree.h"

static int
remove_one (const char        *path,
            const struct stat *info,
            int                type,
            struct FTW        *position)
{
  return remove (path) == 0 ? 0 : errno;
}

/**
 * cachet_file_tree_remove:
 * @path: a file or folder
 * @error: return location for a #GError
 *
 * Removes @path and, for a folder, everything in it, depth first and never
 * through a symbolic link: a link is removed, not what it points to. Blocks:
 * call it from a worker thread.
 *
 * Returns: %TRUE if nothing is left at @path, also when nothing was there
 */
gboolean
cachet_file_tree_remove (const char  *path,
                         GError     **error)
{
  int result;

  g_return_val_if_fail (path != NULL, FALSE);

  result = nftw (path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  if (result == -1)
    result = errno == ENOENT ? 0 : errno;
  if (result != 0)
    {
      g_autofree char *display_name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (result),
                   _("Cannot delete “%s”: %s"), display_name, g_strerror (result));
      return FALSE;
    }
  return TRUE;
}
