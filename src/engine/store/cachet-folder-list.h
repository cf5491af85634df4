/* cachet-folder-list.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-folder.h"

G_BEGIN_DECLS

#define CACHET_TYPE_FOLDER_LIST (cachet_folder_list_get_type ())

G_DECLARE_FINAL_TYPE (CachetFolderList, cachet_folder_list, CACHET, FOLDER_LIST, GObject)

CachetFolderList *cachet_folder_list_new    (CachetStore       *store);
gboolean          cachet_folder_list_reload (CachetFolderList  *self,
                                             GError           **error);

G_END_DECLS
