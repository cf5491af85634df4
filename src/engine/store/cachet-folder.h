/* cachet-folder.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-store.h"

G_BEGIN_DECLS

#define CACHET_TYPE_FOLDER (cachet_folder_get_type ())

G_DECLARE_FINAL_TYPE (CachetFolder, cachet_folder, CACHET, FOLDER, GObject)

CachetFolder *cachet_folder_new_from_info     (const CachetFolderInfo *info);
const char   *cachet_folder_get_name          (CachetFolder           *self);
const char   *cachet_folder_get_display_name  (CachetFolder           *self);
const char   *cachet_folder_get_special_use   (CachetFolder           *self);
guint         cachet_folder_get_unread_count  (CachetFolder           *self);
int           cachet_folder_compare           (CachetFolder           *a,
                                               CachetFolder           *b);

G_END_DECLS
