/* cachet-directory-error.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_DIRECTORY_ERROR (cachet_directory_error_quark ())

/**
 * CachetDirectoryError:
 * @CACHET_DIRECTORY_ERROR_FAILED: the directory database failed (disk full,
 *   I/O error...); the message says how.
 * @CACHET_DIRECTORY_ERROR_NOT_IMPORTED: no directory has been imported yet,
 *   or it was written by another version of Cachet: import the extract.
 * @CACHET_DIRECTORY_ERROR_INVALID_FILE: the file is not an
 *   Extraction_Correspondance_MSSante extract (no header with the expected
 *   columns, no valid row, an archive without a text file, too many
 *   malformed lines).
 * @CACHET_DIRECTORY_ERROR_TRUNCATED: the file or archive ends in the middle
 *   of the data: download it again.
 * @CACHET_DIRECTORY_ERROR_TOO_LARGE: the extract is beyond the size Cachet
 *   accepts.
 * @CACHET_DIRECTORY_ERROR_INVALID_QUERY: the query is empty or too long.
 * @CACHET_DIRECTORY_ERROR_NO_API_KEY: no API key for the Annuaire Santé
 *   online is kept: the user gets one from the ANS portal and gives it.
 * @CACHET_DIRECTORY_ERROR_API_KEY_REFUSED: the Annuaire Santé online
 *   refused the API key: the user checks it or gets a new one.
 *
 * Errors of the Annuaire Santé directory. File system failures keep their
 * #G_IO_ERROR; cancellation gives %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  CACHET_DIRECTORY_ERROR_FAILED,
  CACHET_DIRECTORY_ERROR_NOT_IMPORTED,
  CACHET_DIRECTORY_ERROR_INVALID_FILE,
  CACHET_DIRECTORY_ERROR_TRUNCATED,
  CACHET_DIRECTORY_ERROR_TOO_LARGE,
  CACHET_DIRECTORY_ERROR_INVALID_QUERY,
  CACHET_DIRECTORY_ERROR_NO_API_KEY,
  CACHET_DIRECTORY_ERROR_API_KEY_REFUSED,
} CachetDirectoryError;

GQuark cachet_directory_error_quark (void);

G_END_DECLS
