/* cachet-labs-error.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_LABS_ERROR (cachet_labs_error_quark ())

/**
 * CachetLabsError:
 * @CACHET_LABS_ERROR_UNRECOGNISED: the bytes are not a lab result in any
 *   format Cachet reads; the file is kept as it is for a human to look at
 * @CACHET_LABS_ERROR_INVALID: the file claims a known format but breaks it
 *   (missing mandatory part, unreadable XML, bad base64)
 * @CACHET_LABS_ERROR_TOO_LARGE: a size, count or compression ratio bound
 *   was exceeded
 * @CACHET_LABS_ERROR_UNSAFE: an archive or XML document tries something
 *   hostile (path traversal, links, external entities)
 * @CACHET_LABS_ERROR_INTEGRITY: a document does not match the size or hash
 *   its package announces
 * @CACHET_LABS_ERROR_JOURNAL: the import journal cannot be read or written
 * @CACHET_LABS_ERROR_NO_RESULT: a message asked to be filed holds no lab
 *   result (a PDF alone says nothing about whom or what it is for)
 *
 * Errors of lab result import: parsing, archives and filing.
 */
typedef enum
{
  CACHET_LABS_ERROR_UNRECOGNISED,
  CACHET_LABS_ERROR_INVALID,
  CACHET_LABS_ERROR_TOO_LARGE,
  CACHET_LABS_ERROR_UNSAFE,
  CACHET_LABS_ERROR_INTEGRITY,
  CACHET_LABS_ERROR_JOURNAL,
  CACHET_LABS_ERROR_NO_RESULT,
} CachetLabsError;

GQuark cachet_labs_error_quark (void);

G_END_DECLS
