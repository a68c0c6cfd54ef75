package example;

import java.util.Map;
import org.arvados.tasksasjobs.client.Crunch;
import org.arvados.tasksasjobs.client.Task;

/**
 * A crunch script in Java: task 0 starts one task per input line count asked for; each other task reports its
 * parameters as its output. Run by crunch-job with JOB_UUID, TASK_UUID, ARVADOS_API_HOST and ARVADOS_API_TOKEN set.
 */
public final class LineCount {

    private LineCount() {
    }

    public static void main(String[] args) {
        Crunch crunch = Crunch.fromSystem();
        Task task = crunch.currentTask();
        if (task.taskSequence() != null && task.taskSequence() == 0) {
            for (int part = 0; part < 2; part++) {
                crunch.createChildTask(Map.of("part", part), 1);
            }
            crunch.succeed();
            return;
        }
        crunch.setOutput(". d41d8cd98f00b204e9800998ecf8427e+0 0:0:part-" + task.parameter("part") + ".txt\n");
        crunch.succeed();
    }
}
