package org.arvados.tasksasjobs.cli;

import org.arvados.tasksasjobs.backfill.BackfillSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --batch-size}: {@code auto} (each batch sized from the timings of the ones before it) or a fixed number of
 * tasks. Parsed once by picocli; the range is BackfillSettings' to check.
 *
 * @param rows the fixed size, or 0 for auto
 */
record BatchSize(int rows) {

    static final BatchSize AUTO = new BatchSize(0);

    BackfillSettings applyTo(BackfillSettings settings) {
        return rows == 0 ? settings : settings.withBatchSize(rows);
    }

    static final class Converter implements ITypeConverter<BatchSize> {
        @Override
        public BatchSize convert(String value) {
            String size = value.trim();
            if (size.equals("auto")) {
                return AUTO;
            }
            try {
                int rows = Integer.parseInt(size);
                if (rows < 1) {
                    throw new TypeConversionException("--batch-size must be a number of tasks or auto, not '" + value + "'");
                }
                return new BatchSize(rows);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("--batch-size must be a number of tasks or auto, not '" + value + "'");
            }
        }
    }
}
