/* cachet-cli-directory.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

G_BEGIN_DECLS

int cachet_cli_directory (int    argc,
                          char **argv);

G_END_DECLS
