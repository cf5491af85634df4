/* cachet-folder-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-folder.h"

G_BEGIN_DECLS

void _cachet_folder_update (CachetFolder           *self,
                            const CachetFolderInfo *info);

G_END_DECLS
