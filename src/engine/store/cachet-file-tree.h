/* cachet-file-tree.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean cachet_file_tree_remove (const char  *path,
                                  GError     **error);

G_END_DECLS
