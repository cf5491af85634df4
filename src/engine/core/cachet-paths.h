/* cachet-paths.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cachet_paths_get_config_dir (void);
const char *cachet_paths_get_data_dir   (void);
const char *cachet_paths_get_cache_dir  (void);

G_END_DECLS
